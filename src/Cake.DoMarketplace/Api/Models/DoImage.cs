namespace Cake.DoMarketplace.Api.Models;

/// <summary>A distribution image, snapshot, backup or custom image.</summary>
internal sealed class DoImage
{
    /// <summary>The image id.</summary>
    public long Id { get; set; }

    /// <summary>Its name, for example <c>12 x64</c> or a snapshot's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>snapshot</c>, <c>backup</c>, <c>custom</c>, <c>base</c> or <c>admin</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The distribution, for example <c>Ubuntu</c> or <c>Debian</c>.</summary>
    public string? Distribution { get; set; }

    /// <summary>The slug of a public image; null for snapshots.</summary>
    public string? Slug { get; set; }

    /// <summary>Whether the image is public.</summary>
    public bool Public { get; set; }

    /// <summary>The regions it is available in.</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>Smallest disk (GB) a droplet made from it needs.</summary>
    public int? MinDiskSize { get; set; }

    /// <summary>Size of the image in GB.</summary>
    public double? SizeGigabytes { get; set; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Description.</summary>
    public string? Description { get; set; }

    /// <summary><c>NEW</c>, <c>available</c>, <c>pending</c>, <c>deleted</c> or <c>retired</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Tags on the image.</summary>
    public List<string> Tags { get; set; } = [];
}
