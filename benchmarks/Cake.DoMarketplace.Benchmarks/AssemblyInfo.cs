// The local cloud runs droplets as Linux namespaces.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
