// Droplets are Linux namespaces: the local cloud checks for Linux at start and runs nowhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
