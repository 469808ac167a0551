using System.Text.Json.Serialization;

namespace Cake.DoMarketplace.Api.Models;

/// <summary>
/// The body of <c>POST /v2/droplets</c>. A null field is left out of the JSON, so DigitalOcean's default applies (see
/// <see cref="WithDropletAgent"/>).
/// </summary>
internal sealed class DoDropletCreateRequest
{
    /// <summary>Droplet name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Region slug.</summary>
    public string Region { get; set; } = string.Empty;

    /// <summary>Size slug.</summary>
    public string Size { get; set; } = string.Empty;

    /// <summary>Image slug or numeric image id (sent as a JSON number).</summary>
    [JsonConverter(typeof(SlugOrIdConverter))]
    public string Image { get; set; } = string.Empty;

    /// <summary>
    /// SSH keys to install for root: a key id (<c>"512190"</c>, sent as the JSON number <c>512190</c>) or an MD5
    /// fingerprint (sent as a string), as DigitalOcean's OpenAPI examples, godo and Terraform send them.
    /// </summary>
    [JsonConverter(typeof(SshKeyReferencesConverter))]
    public List<string> SshKeys { get; set; } = [];

    /// <summary>Automated backups.</summary>
    public bool Backups { get; set; }

    /// <summary>IPv6 networking.</summary>
    public bool Ipv6 { get; set; }

    /// <summary>Deprecated by DigitalOcean (every droplet joins its region's VPC); null leaves it out.</summary>
    public bool? PrivateNetworking { get; set; }

    /// <summary>The metrics agent (<c>do-agent</c>); null leaves it out (DigitalOcean's default: not installed).</summary>
    public bool? Monitoring { get; set; }

    /// <summary>
    /// The droplet agent (web console). Null leaves the field out: DigitalOcean installs the agent where it can and
    /// ignores a failure. <c>false</c>: not installed. <c>true</c>: installed, and a create on an image the agent does not
    /// support fails with 422. Its <c>/opt/digitalocean</c> fails Marketplace validation; DoCleanupImage removes it.
    /// </summary>
    public bool? WithDropletAgent { get; set; }

    /// <summary>Tags to apply.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>cloud-init user data (at most 64 KiB).</summary>
    public string? UserData { get; set; }

    /// <summary>VPC to join; null for the region's default.</summary>
    public string? VpcUuid { get; set; }
}
