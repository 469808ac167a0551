using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// The droplet to create, with every setting checked — locally first, then the token's read scopes, then against the
/// API's regions, sizes and images — before anything is created.
/// </summary>
internal sealed record BuildDropletPlan(string Name, string Region, string Size, string Image, IReadOnlyList<string> Tags)
{
    private const string Prefix = nameof(BuildDropletSettings) + ".";

    public static void CheckLocally(BuildDropletSettings settings)
    {
        if (settings.Name is not null)
        {
            SettingsRules.DropletNameValid(settings.Name, Prefix + nameof(settings.Name));
        }

        SettingsRules.TagsValid(settings.Tags, Prefix + nameof(settings.Tags));
        SettingsRules.UserDataValid(settings.UserData, Prefix + nameof(settings.UserData));
        SettingsRules.NotBlank(settings.Image, Prefix + nameof(settings.Image), "\"debian-12-x64\"");
        SettingsRules.Positive(settings.ActiveTimeout, Prefix + nameof(settings.ActiveTimeout));
        SettingsRules.Positive(settings.SshTimeout, Prefix + nameof(settings.SshTimeout));
        SettingsRules.Positive(settings.CloudInitTimeout, Prefix + nameof(settings.CloudInitTimeout));
        if (settings.KnownHostKey is not null)
        {
            HostKeyPolicy.PinnedLine(settings.KnownHostKey, Prefix + nameof(settings.KnownHostKey));
        }
    }

    /// <param name="settings">The droplet wanted.</param>
    /// <param name="build">The build it is for (its tag).</param>
    /// <param name="api">The API.</param>
    /// <param name="alsoNeeded">Read scopes the caller needs later besides a launch's (such as <c>regions:read</c> for snapshot transfers).</param>
    /// <param name="cancellationToken">Stops the reads.</param>
    public static async Task<BuildDropletPlan> ResolveAsync(BuildDropletSettings settings, BuildIdentity build, IDoApiClient api,
        IReadOnlyList<string> alsoNeeded, CancellationToken cancellationToken)
    {
        CheckLocally(settings);

        // One error listing every missing read scope, rather than the first 403 of many tries to fix. The plan's own
        // reads come first and prove their scopes; only the read scopes they did not prove are probed, one request each.
        var refused = new List<(string Scope, string Request)>();
        var sizes = await ReadAsync(api.ListSizesAsync, refused, cancellationToken).ConfigureAwait(false);
        var found = await ReadAsync(t => FindImageAsync(settings.Image, api, t), refused, cancellationToken).ConfigureAwait(false);
        var unproven = DoApiScopes.LaunchReadScopes.Concat(alsoNeeded).Where(s => refused.All(r => r.Scope != s));
        refused.AddRange((await api.FindMissingReadScopesAsync(unproven, cancellationToken).ConfigureAwait(false)).Select(s => (s, DoApiScopes.ProbeFor(s))));
        if (refused.Count > 0)
        {
            throw DoScopeMissingException.ForPreflight(refused);
        }

        var region = await PickRegionAsync(settings.Region, sizes!, api, cancellationToken).ConfigureAwait(false);
        var size = PickSize(settings.Size, region, sizes!);
        var image = found!;
        if (image.Regions.Count > 0 && !image.Regions.Contains(region))
        {
            throw new DoSettingsException(Prefix + nameof(settings.Image),
                $"{Prefix}Image '{settings.Image}' is not available in region '{region}' (it is in {string.Join(", ", image.Regions)}). Pick one of those "
                    + "regions or transfer the image.");
        }

        if (!settings.AllowUnsupportedImage && SupportedImages.WhyUnsupported(image, SupportedReleases.Default) is { } why)
        {
            throw new DoSettingsException(Prefix + nameof(settings.Image),
                $"{Prefix}Image: the {why}. Choose a supported image such as debian-12-x64 or ubuntu-24-04-x64, or set AllowUnsupportedImage.");
        }

        var name = settings.Name ?? $"marketplace-build-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var tags = new List<string> { BuildIdentity.AddinTag, build.Tag };
        tags.AddRange(settings.Tags.Where(t => !tags.Contains(t)));
        return new BuildDropletPlan(name, region, size.Slug, settings.Image, tags);
    }

    /// <summary>A read of the plan; a 403 for its scope is noted in <paramref name="refused"/> (null returned) for the pre-flight's one error.</summary>
    private static async Task<T?> ReadAsync<T>(Func<CancellationToken, Task<T>> read, List<(string Scope, string Request)> refused,
        CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }
        catch (DoScopeMissingException e)
        {
            refused.Add((e.MissingScope, e.Path));
            return null;
        }
    }

    /// <summary>
    /// The region, from the sizes alone: each size lists the regions it can be created in now, so a region no available
    /// size lists takes no droplet. Only then are the regions read, to say why (unknown, or not accepting droplets).
    /// </summary>
    private static async Task<string> PickRegionAsync(string? wanted, IReadOnlyList<DoSize> sizes, IDoApiClient api, CancellationToken cancellationToken)
    {
        var offered = sizes.Where(s => s.Available).SelectMany(s => s.Regions).Distinct(StringComparer.Ordinal).ToList();
        if (wanted is null)
        {
            return offered.FirstOrDefault(r => r == "nyc3") ?? offered.FirstOrDefault()
                ?? throw new DoSettingsException(Prefix + "Region", "The API lists no region with an available droplet size; set BuildDropletSettings.Region.");
        }

        if (offered.FirstOrDefault(r => string.Equals(r, wanted, StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            return known;
        }

        var regions = await api.ListRegionsAsync(cancellationToken).ConfigureAwait(false);
        var region = regions.FirstOrDefault(r => string.Equals(r.Slug, wanted, StringComparison.OrdinalIgnoreCase));
        if (region is null || !region.Available)
        {
            var what = region is null ? "is not a DigitalOcean region" : "is not accepting new droplets";
            throw new DoSettingsException(Prefix + "Region",
                $"{Prefix}Region '{wanted}' {what}. Available regions: {string.Join(", ", regions.Where(r => r.Available).Select(r => r.Slug))}.");
        }

        throw new DoSettingsException(Prefix + "Size", $"Region '{region.Slug}' offers no droplet size; set BuildDropletSettings.Size or another Region.");
    }

    private static DoSize PickSize(string? wanted, string region, IReadOnlyList<DoSize> sizes)
    {
        var offered = sizes.Where(s => s.Available && s.Regions.Contains(region)).ToList();
        if (wanted is null)
        {
            return offered.OrderBy(s => s.PriceMonthly).ThenBy(s => s.Memory).ThenBy(s => s.Disk).FirstOrDefault()
                ?? throw new DoSettingsException(Prefix + "Size",
                    $"Region '{region}' offers no droplet size; set BuildDropletSettings.Size or another Region.");
        }

        var size = sizes.FirstOrDefault(s => string.Equals(s.Slug, wanted, StringComparison.OrdinalIgnoreCase));
        if (size is null)
        {
            throw new DoSettingsException(Prefix + "Size",
                $"{Prefix}Size '{wanted}' is not a DigitalOcean droplet size. Smallest sizes in {region}: "
                    + $"{string.Join(", ", offered.OrderBy(s => s.PriceMonthly).Take(5).Select(s => s.Slug))}.");
        }

        if (!offered.Contains(size))
        {
            throw new DoSettingsException(Prefix + "Size",
                $"{Prefix}Size '{wanted}' is not available in region '{region}'. Sizes there: "
                    + $"{string.Join(", ", offered.OrderBy(s => s.PriceMonthly).Take(5).Select(s => s.Slug))}.");
        }

        return size;
    }

    private static async Task<DoImage> FindImageAsync(string image, IDoApiClient api, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DoApiException e) when (e.IsNotFound)
        {
            throw new DoSettingsException(Prefix + "Image",
                $"{Prefix}Image '{image}' is neither a public image slug nor an image id of this account. Try debian-12-x64 or ubuntu-24-04-x64.");
        }
    }
}
