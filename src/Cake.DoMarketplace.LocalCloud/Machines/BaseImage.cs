namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>A distribution image the local cloud offers, as DigitalOcean lists it (id, slug, release).</summary>
internal sealed record BaseImage(long Id, string Slug, string Suite, string Version)
{
    /// <summary>Debian 12 and 13, the Debian releases DigitalOcean offers and its image scan supports.</summary>
    public static IReadOnlyList<BaseImage> All { get; } =
    [
        new(150_000_012, "debian-12-x64", "bookworm", "12"),
        new(150_000_013, "debian-13-x64", "trixie", "13"),
    ];

    public static BaseImage? Find(long id) => All.FirstOrDefault(i => i.Id == id);
}
