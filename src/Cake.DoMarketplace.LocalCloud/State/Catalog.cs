namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>Regions and sizes as DigitalOcean lists them (a current subset).</summary>
internal static class Catalog
{
    public static readonly IReadOnlyList<string> RegionSlugs = ["nyc1", "nyc3", "sfo3", "ams3", "sgp1", "lon1", "fra1", "tor1", "blr1", "syd1"];

    private static readonly Dictionary<string, string> RegionNames = new()
    {
        ["nyc1"] = "New York 1", ["nyc3"] = "New York 3", ["sfo3"] = "San Francisco 3", ["ams3"] = "Amsterdam 3",
        ["sgp1"] = "Singapore 1", ["lon1"] = "London 1", ["fra1"] = "Frankfurt 1", ["tor1"] = "Toronto 1",
        ["blr1"] = "Bangalore 1", ["syd1"] = "Sydney 1",
    };

    public static readonly IReadOnlyList<SizeRecord> Sizes =
    [
        new("s-1vcpu-512mb-10gb", 512, 1, 10, 500, 4m, 0.00595m, "Basic"),
        new("s-1vcpu-1gb", 1024, 1, 25, 1000, 6m, 0.00893m, "Basic"),
        new("s-1vcpu-2gb", 2048, 1, 50, 2000, 12m, 0.01786m, "Basic"),
        new("s-2vcpu-2gb", 2048, 2, 60, 3000, 18m, 0.02679m, "Basic"),
        new("s-2vcpu-4gb", 4096, 2, 80, 4000, 24m, 0.03571m, "Basic"),
    ];

    public static bool IsRegion(string? slug) => slug is not null && RegionNames.ContainsKey(slug);

    public static SizeRecord? FindSize(string? slug) => Sizes.FirstOrDefault(s => s.Slug == slug);

    public static string RegionName(string slug) => RegionNames[slug];
}

internal sealed record SizeRecord(string Slug, int Memory, int Vcpus, int Disk, int TransferGb, decimal PriceMonthly, decimal PriceHourly, string Description);
