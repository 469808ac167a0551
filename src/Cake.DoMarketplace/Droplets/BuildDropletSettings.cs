using Cake.DoMarketplace.Api;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Settings of <c>DoCreateBuildDroplet</c>. The defaults follow the Marketplace guide: the smallest current size, a
/// supported distribution, a temporary SSH key, and monitoring, IPv6, backups and the droplet agent off
/// (<see cref="DropletAgent"/> changes the last).
/// </summary>
public sealed class BuildDropletSettings : DoApiSettings
{
    /// <summary>The droplet name; defaults to <c>marketplace-build-&lt;utc time&gt;</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The region slug; defaults to <c>nyc3</c> when available, else the first available region.</summary>
    public string? Region { get; set; }

    /// <summary>The size slug; defaults to the cheapest size available in the region (images cannot shrink).</summary>
    public string? Size { get; set; }

    /// <summary>The base image slug or id; defaults to <c>debian-12-x64</c>.</summary>
    public string Image { get; set; } = "debian-12-x64";

    /// <summary>Extra tags for the droplet (the addin adds its own).</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>Ids or fingerprints of account SSH keys to install besides the temporary one, for debugging.</summary>
    public IList<string> AdditionalSshKeys { get; } = new List<string>();

    /// <summary>cloud-init user data for the build droplet (at most 64 KiB).</summary>
    public string? UserData { get; set; }

    /// <summary>The VPC to join; null for the region's default.</summary>
    public string? VpcUuid { get; set; }

    /// <summary>
    /// Whether DigitalOcean installs its droplet agent (the control panel's web console) on the droplet, sent as
    /// <c>with_droplet_agent</c>. Null (default) follows the Marketplace guide: no agent (<c>false</c> is sent), so
    /// nothing of it can reach the image. <c>true</c> asks for it, and DigitalOcean then refuses the create (422) on an
    /// image the agent does not support; the agent lives in <c>/opt/digitalocean</c>, which fails DigitalOcean's image
    /// scan, and <c>DoCleanupImage</c> purges it and removes that folder before the snapshot.
    /// </summary>
    /// <example>
    /// <code>
    /// // A build script that purges the agent itself (droplet-1-clicks' cleanup runs apt-get purge droplet-agent*):
    /// var droplet = DoCreateBuildDroplet(new BuildDropletSettings { DropletAgent = true });
    /// </code>
    /// </example>
    public bool? DropletAgent { get; set; }

    /// <summary>
    /// Accept only this SSH host key (an OpenSSH public key line), for images whose host key you set yourself. By default
    /// the build makes a host key, gives it to cloud-init in user data and accepts only that one: never the key first
    /// presented.
    /// </summary>
    public string? KnownHostKey { get; set; }

    /// <summary>Create the droplet even when its image is not a distribution the Marketplace supports.</summary>
    public bool AllowUnsupportedImage { get; set; }

    /// <summary>Wait for <c>cloud-init status --wait</c> before returning (default).</summary>
    public bool WaitForCloudInit { get; set; } = true;

    /// <summary>How long the droplet may take to become active.</summary>
    public TimeSpan ActiveTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long sshd may take to accept the key once the droplet is active.</summary>
    public TimeSpan SshTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long cloud-init may take to finish its first boot.</summary>
    public TimeSpan CloudInitTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>monitoring</c> to send; null sends <c>false</c> (the guide's default) or, with <see cref="LeaveUnsetToApi"/>,
    /// nothing. Set from a Packer template's <c>monitoring</c>.
    /// </summary>
    internal bool? Monitoring { get; set; }

    /// <summary><c>ipv6</c> to send (a Packer template's <c>ipv6</c>).</summary>
    internal bool Ipv6 { get; set; }

    /// <summary><c>private_networking</c> to send, null for none (a Packer template's <c>private_networking</c>).</summary>
    internal bool? PrivateNetworking { get; set; }

    /// <summary>
    /// Leave <see cref="DropletAgent"/> and <see cref="Monitoring"/> out of the create request when they are null, so
    /// DigitalOcean's own defaults apply (the agent installed where it can be): how Packer creates a droplet for a
    /// template without <c>droplet_agent</c>, and how a customer's droplet is created for <c>DoTestImage</c>.
    /// </summary>
    internal bool LeaveUnsetToApi { get; set; }
}
