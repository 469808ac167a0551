using System.Globalization;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>The JSON shapes of DigitalOcean's API for our records.</summary>
internal static class Shapes
{
    public static object Droplet(DropletRecord d, CloudState state) => state.Locked(() => (object)new
    {
        id = d.Id,
        name = d.Name,
        memory = d.Size.Memory,
        vcpus = d.Size.Vcpus,
        disk = d.Size.Disk,
        locked = d.Locked,
        status = d.Status,
        kernel = (object?)null,
        created_at = Time(d.CreatedAt),
        features = d.Features,
        backup_ids = Array.Empty<long>(),
        next_backup_window = (object?)null,
        snapshot_ids = d.SnapshotIds.ToList(),
        image = Image(d.Image),
        volume_ids = Array.Empty<string>(),
        size = CatalogShapes.Size(Catalog.FindSize(d.Size.Slug)!),
        size_slug = d.Size.Slug,
        networks = new
        {
            v4 = d.Status == DropletStatus.New
                ? Array.Empty<object>()
                : [new { ip_address = d.IpAddress, netmask = Network.AddressRange.SlotNetmask, gateway = d.Address.Gateway, type = "public" }],
            v6 = Array.Empty<object>(),
        },
        region = CatalogShapes.Region(d.Region),
        tags = d.Tags,
        vpc_uuid = d.VpcUuid ?? "00000000-0000-4000-8000-000000000001",
    });

    public static object Image(ImageRecord i) => new
    {
        id = i.Id,
        name = i.Name,
        distribution = i.Distribution,
        slug = i.Slug,
        @public = i.Public,
        regions = i.Regions.ToList(),
        created_at = Time(i.CreatedAt),
        min_disk_size = i.MinDiskSize,
        type = i.Type,
        size_gigabytes = i.SizeGigabytes,
        description = i.Description,
        tags = i.Tags.ToList(),
        status = i.Status,
        error_message = string.Empty,
    };

    /// <summary>A snapshot as <c>/v2/snapshots</c> lists it: string ids.</summary>
    public static object Snapshot(ImageRecord i) => new
    {
        id = i.Id.ToString(CultureInfo.InvariantCulture),
        name = i.Name,
        regions = i.Regions.ToList(),
        created_at = Time(i.CreatedAt),
        resource_id = i.SourceDropletId?.ToString(CultureInfo.InvariantCulture),
        resource_type = "droplet",
        min_disk_size = i.MinDiskSize,
        size_gigabytes = i.SizeGigabytes,
        tags = i.Tags.ToList(),
    };

    /// <summary>A snapshot as <c>/v2/droplets/{id}/snapshots</c> lists it: numeric ids.</summary>
    public static object DropletSnapshot(ImageRecord i) => new
    {
        id = i.Id,
        name = i.Name,
        distribution = i.Distribution,
        slug = (string?)null,
        @public = false,
        regions = i.Regions.ToList(),
        created_at = Time(i.CreatedAt),
        type = "snapshot",
        min_disk_size = i.MinDiskSize,
        size_gigabytes = i.SizeGigabytes,
    };

    public static object Action(ActionRecord a, CloudState state) => state.Locked(() => (object)new
    {
        id = a.Id,
        status = a.Status,
        type = a.Type,
        started_at = Time(a.StartedAt),
        completed_at = a.CompletedAt is { } done ? Time(done) : null,
        resource_id = a.ResourceId,
        resource_type = a.ResourceType,
        region = CatalogShapes.Region(a.RegionSlug),
        region_slug = a.RegionSlug,
    });

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
