namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// Which of DigitalOcean's agents a new droplet gets, from its create request. DigitalOcean's OpenAPI description of
/// <c>with_droplet_agent</c>: installed by default, installation errors (the OS not supported) ignored; <c>false</c>:
/// not installed; <c>true</c>: an unsupported OS fails the create request. <c>monitoring: true</c> installs the metrics
/// agent (do-agent) the same way, as a feature the request asked for.
/// </summary>
internal static class DropletAgents
{
    /// <summary>The distributions the agents' installers accept (droplet-agent's install.sh: debian, ubuntu, centos, fedora).</summary>
    private static readonly HashSet<string> Supported = new(StringComparer.OrdinalIgnoreCase) { "Debian", "Ubuntu", "CentOS", "Fedora" };

    /// <summary>The agents to install, or an error to answer with when the request insists on one the image cannot take.</summary>
    public static (IReadOnlyList<string> Packages, string? Refusal) For(DropletCreateRequest request, ImageRecord image)
    {
        var supported = Supported.Contains(image.Distribution);
        var packages = new List<string>();
        if (request.DropletAgent is true && !supported)
        {
            return ([], $"The droplet agent is not supported on {image.Distribution} ({ImageName(image)}); leave with_droplet_agent out or set it to false.");
        }

        if (request.Monitoring && !supported)
        {
            return ([], $"Monitoring is not supported on {image.Distribution} ({ImageName(image)}); set monitoring to false.");
        }

        if (request.DropletAgent is not false && supported)
        {
            packages.Add(DropletAgentPackage);
        }

        if (request.Monitoring)
        {
            packages.Add(MonitoringPackage);
        }

        return (packages, null);
    }

    /// <summary>The droplet agent's Debian package name, as DigitalOcean's repository names it.</summary>
    public const string DropletAgentPackage = "droplet-agent";

    /// <summary>The metrics agent's Debian package name.</summary>
    public const string MonitoringPackage = "do-agent";

    private static string ImageName(ImageRecord image) => image.Slug ?? image.Name;
}
