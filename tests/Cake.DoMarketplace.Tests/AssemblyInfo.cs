// The tests start real Linux processes (sshd, and later the local cloud's sandboxes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
