using Cake.DoMarketplace.Api;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Settings of <c>DoCreateBuildDroplet</c>. The defaults follow the Marketplace guide: the smallest current size, a
/// supported distribution, a temporary SSH key, and monitoring, IPv6, backups and the droplet agent off.
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
}
