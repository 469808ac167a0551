using Cake.Core.IO;

namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>Settings of <c>DoStartLocalCloud</c>.</summary>
public sealed class LocalCloudSettings
{
    /// <summary>
    /// The local cloud's command (<c>do-local-cloud</c>, or its <c>.dll</c>). Null (default): the tool installed by
    /// <c>#tool dotnet:?package=Cake.DoMarketplace.LocalCloud</c>, else one in the folder's .NET tool manifest.
    /// </summary>
    public FilePath? ToolPath { get; set; }

    /// <summary>Where droplets and images live. Images survive a restart, so keep one folder per repository (default: <c>./.local-cloud</c>).</summary>
    public DirectoryPath DataDirectory { get; set; } = "./.local-cloud";

    /// <summary>The droplets' address range (default 198.18.0.0/15); checked against the host's routes before anything is made.</summary>
    public string? AddressRange { get; set; }

    /// <summary>How long the start may take: the first one on a machine installs prerequisites and builds the base images (about 2 minutes).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long stopping may take (every droplet powered off, the network removed) before the process is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Point the rest of the run at the local cloud (default): <c>DIGITALOCEAN_TOKEN</c> and <c>DIGITALOCEAN_API_URL</c> of
    /// this process are set until the handle is disposed, so every other alias uses it without settings.
    /// </summary>
    public bool SetEnvironment { get; set; } = true;
}
