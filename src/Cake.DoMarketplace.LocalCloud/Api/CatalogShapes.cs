using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>Regions and sizes in DigitalOcean's JSON shapes.</summary>
internal static class CatalogShapes
{
    public static object Region(string slug) => new
    {
        slug,
        name = Catalog.RegionName(slug),
        sizes = Catalog.Sizes.Select(s => s.Slug).ToList(),
        available = true,
        features = new[] { "backups", "ipv6", "metadata", "install_agent", "storage", "image_transfer" },
    };

    public static object Size(SizeRecord size) => new
    {
        slug = size.Slug,
        memory = size.Memory,
        vcpus = size.Vcpus,
        disk = size.Disk,
        transfer = size.TransferGb / 1000.0,
        price_monthly = size.PriceMonthly,
        price_hourly = size.PriceHourly,
        regions = Catalog.RegionSlugs,
        available = true,
        description = size.Description,
    };
}
