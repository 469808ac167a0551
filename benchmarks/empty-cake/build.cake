// The baseline of the versus-Packer benchmark: Cake itself, with no addin and nothing to do. Its peak memory and
// start-up are what any Cake script pays; the addin's share is a build's figure minus this one.
Task("Default");
RunTarget(Argument("target", "Default"));
