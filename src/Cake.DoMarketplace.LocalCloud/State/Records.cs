namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>A droplet in the local cloud. Mutable fields change under the store's lock only.</summary>
internal sealed class DropletRecord
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public required string Region { get; init; }

    public required SizeSlug Size { get; init; }

    public required ImageRecord Image { get; init; }

    public required Network.DropletAddress Address { get; init; }

    public string IpAddress => Address.Address;

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<string> PublicKeys { get; init; }

    public required IReadOnlyList<string> Tags { get; set; }

    public required IReadOnlyList<string> Features { get; init; }

    public string? UserData { get; init; }

    /// <summary>What DigitalOcean hands the droplet's cloud-init besides the user's data (see <see cref="State.VendorData"/>).</summary>
    public required string VendorData { get; init; }

    /// <summary>The MAC address of the droplet's public interface, <c>eth0</c>.</summary>
    public required string Mac { get; init; }

    public string? VpcUuid { get; init; }

    public string Status { get; set; } = DropletStatus.New;

    public bool Locked { get; set; }

    public List<long> SnapshotIds { get; } = [];

    public List<long> ActionIds { get; } = [];
}

/// <summary>A size's figures, copied onto the droplet.</summary>
internal sealed record SizeSlug(string Slug, int Memory, int Vcpus, int Disk);

/// <summary>A distribution image or a snapshot.</summary>
internal sealed class ImageRecord
{
    /// <summary>A distribution image, as DigitalOcean lists its own: public, in every region.</summary>
    public static ImageRecord Base(Machines.BaseImage image, DateTime builtAt) => new()
    {
        Id = image.Id,
        Name = $"{image.Version} x64",
        Type = "base",
        Distribution = "Debian",
        Slug = image.Slug,
        Public = true,
        Regions = [.. Catalog.RegionSlugs],
        CreatedAt = builtAt,
        MinDiskSize = 10,
        SizeGigabytes = 0.5,
        Description = $"Debian {image.Version} x64 (local cloud: debootstrap + systemd, openssh-server, cloud-init)",
    };

    public required long Id { get; init; }

    public required string Name { get; set; }

    public required string Type { get; init; }

    public required string Distribution { get; init; }

    public string? Slug { get; init; }

    public bool Public { get; init; }

    public required List<string> Regions { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public int MinDiskSize { get; init; }

    public double SizeGigabytes { get; set; }

    public string Description { get; init; } = string.Empty;

    public string Status { get; set; } = ImageStatus.Available;

    public List<string> Tags { get; init; } = [];

    /// <summary>The droplet a snapshot was taken from.</summary>
    public long? SourceDropletId { get; init; }

    /// <summary>The image a snapshot's filesystem layers on (null for a base image).</summary>
    public long? ParentImageId { get; init; }

    public bool IsSnapshot => Type == "snapshot";
}

/// <summary>A droplet or image action.</summary>
internal sealed class ActionRecord
{
    public required long Id { get; init; }

    public required string Type { get; init; }

    public required long ResourceId { get; init; }

    public required string ResourceType { get; init; }

    public required string RegionSlug { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public string Status { get; set; } = ActionStatus.InProgress;

    public DateTimeOffset? CompletedAt { get; set; }
}
