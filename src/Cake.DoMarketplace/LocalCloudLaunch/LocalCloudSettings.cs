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

    /// <summary>
    /// Null (default): the local cloud is as fast as this machine (a droplet is up in about a second). A number: it keeps
    /// DigitalOcean's pace, every time multiplied by it (1: a droplet active after 55 s, a snapshot a minute per GB, the
    /// token's 250 requests a minute and 5,000 an hour; 0.1: a tenth of each, the limits per tenth of a minute and hour),
    /// to see a build's waits, progress lines and rate-limit handling as on DigitalOcean. The tool's
    /// <c>--pace digitalocean --pace-factor</c>.
    /// </summary>
    public double? DigitalOceanPaceFactor { get; set; }

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
