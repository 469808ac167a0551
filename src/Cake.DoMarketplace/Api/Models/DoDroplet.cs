namespace Cake.DoMarketplace.Api.Models;

/// <summary>A droplet as the API returns it.</summary>
internal sealed class DoDroplet
{
    /// <summary>Droplet id.</summary>
    public long Id { get; set; }

    /// <summary>Droplet name (hostname).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>new</c>, <c>active</c>, <c>off</c> or <c>archive</c>.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>True while an action runs on the droplet.</summary>
    public bool Locked { get; set; }

    /// <summary>Memory in MiB.</summary>
    public int Memory { get; set; }

    /// <summary>Virtual CPUs.</summary>
    public int Vcpus { get; set; }

    /// <summary>Disk in GB.</summary>
    public int Disk { get; set; }

    /// <summary>Size slug such as <c>s-1vcpu-512mb-10gb</c>.</summary>
    public string? SizeSlug { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The region the droplet runs in.</summary>
    public DoRegion? Region { get; set; }

    /// <summary>The image the droplet was created from.</summary>
    public DoImage? Image { get; set; }

    /// <summary>Its networks.</summary>
    public DoNetworks Networks { get; set; } = new();

    /// <summary>Ids of snapshots taken from this droplet.</summary>
    public List<long> SnapshotIds { get; set; } = [];

    /// <summary>Tags on the droplet.</summary>
    public List<string> Tags { get; set; } = [];

    /// <summary>Enabled features such as <c>monitoring</c> or <c>ipv6</c>.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>The first public IPv4 address, if any.</summary>
    public string? PublicIPv4 =>
        Networks.V4.FirstOrDefault(n => n.Type == "public")?.IpAddress;
}
