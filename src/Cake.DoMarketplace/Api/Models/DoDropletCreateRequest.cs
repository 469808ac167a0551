using System.Text.Json.Serialization;

namespace Cake.DoMarketplace.Api.Models;

/// <summary>The body of <c>POST /v2/droplets</c>.</summary>
public sealed class DoDropletCreateRequest
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

    /// <summary>SSH key ids or fingerprints to install for root.</summary>
    public List<string> SshKeys { get; set; } = [];

    /// <summary>Automated backups.</summary>
    public bool Backups { get; set; }

    /// <summary>IPv6 networking.</summary>
    public bool Ipv6 { get; set; }

    /// <summary>The metrics agent.</summary>
    public bool Monitoring { get; set; }

    /// <summary>The droplet agent (web console); its <c>/opt/digitalocean</c> fails Marketplace validation.</summary>
    public bool WithDropletAgent { get; set; }

    /// <summary>Tags to apply.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>cloud-init user data (at most 64 KiB).</summary>
    public string? UserData { get; set; }

    /// <summary>VPC to join; null for the region's default.</summary>
    public string? VpcUuid { get; set; }
}
