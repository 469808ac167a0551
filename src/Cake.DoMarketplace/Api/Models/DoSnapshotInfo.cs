namespace Cake.DoMarketplace.Api.Models;

/// <summary>
/// A snapshot as listed by <c>/v2/droplets/{id}/snapshots</c> (numeric ids) or <c>/v2/snapshots</c> (string ids).
/// </summary>
internal sealed class DoSnapshotInfo
{
    /// <summary>The snapshot's image id.</summary>
    public long Id { get; set; }

    /// <summary>Its name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>When it was taken.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The regions it is in.</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>The droplet (or volume) it was taken from.</summary>
    public long? ResourceId { get; set; }

    /// <summary><c>droplet</c> or <c>volume</c>.</summary>
    public string? ResourceType { get; set; }

    /// <summary>Smallest disk (GB) a droplet made from it needs.</summary>
    public int? MinDiskSize { get; set; }

    /// <summary>Size in GB.</summary>
    public double? SizeGigabytes { get; set; }
}
