using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;

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
            try
            {
                Ssh.HostKeyPolicy.PinnedLine(settings.KnownHostKey);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new DoSettingsException(Prefix + nameof(settings.KnownHostKey),
                    $"{Prefix}{nameof(settings.KnownHostKey)} must be an OpenSSH public key line such as 'ssh-ed25519 AAAA…'.");
            }
        }
    }

    public static async Task<BuildDropletPlan> ResolveAsync(BuildDropletSettings settings, BuildIdentity build, IDoApiClient api, CancellationToken cancellationToken)
    {
        CheckLocally(settings);

        // One error listing every missing read scope, rather than the first 403 of many tries to fix.
        if (await api.FindMissingReadScopesAsync(cancellationToken).ConfigureAwait(false) is { Count: > 0 } missing)
        {
            throw DoScopeMissingException.ForPreflight(missing);
        }

        var regions = await api.ListRegionsAsync(cancellationToken).ConfigureAwait(false);
        var sizes = await api.ListSizesAsync(cancellationToken).ConfigureAwait(false);
        var region = PickRegion(settings.Region, regions);
        var size = PickSize(settings.Size, region, sizes);
        var image = await FindImageAsync(settings.Image, api, cancellationToken).ConfigureAwait(false);
        if (image.Regions.Count > 0 && !image.Regions.Contains(region.Slug))
        {
            throw new DoSettingsException(Prefix + nameof(settings.Image),
                $"{Prefix}Image '{settings.Image}' is not available in region '{region.Slug}' (it is in {string.Join(", ", image.Regions)}). Pick one of those regions or transfer the image.");
        }

        if (!settings.AllowUnsupportedImage && SupportedImages.WhyUnsupported(image, SupportedReleases.Default) is { } why)
        {
            throw new DoSettingsException(Prefix + nameof(settings.Image),
                $"{Prefix}Image: the {why}. Choose a supported image such as debian-12-x64 or ubuntu-24-04-x64, or set AllowUnsupportedImage.");
        }

        var name = settings.Name ?? $"marketplace-build-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var tags = new List<string> { BuildIdentity.AddinTag, build.Tag };
        tags.AddRange(settings.Tags.Where(t => !tags.Contains(t)));
        return new BuildDropletPlan(name, region.Slug, size.Slug, settings.Image, tags);
    }

    private static DoRegion PickRegion(string? wanted, IReadOnlyList<DoRegion> regions)
    {
        var available = regions.Where(r => r.Available).ToList();
        if (wanted is null)
        {
            return available.FirstOrDefault(r => r.Slug == "nyc3") ?? available.FirstOrDefault()
                ?? throw new DoSettingsException(Prefix + "Region", "The API lists no available region; set BuildDropletSettings.Region.");
        }

        var region = regions.FirstOrDefault(r => string.Equals(r.Slug, wanted, StringComparison.OrdinalIgnoreCase));
        if (region is null || !region.Available)
        {
            var what = region is null ? "is not a DigitalOcean region" : "is not accepting new droplets";
            throw new DoSettingsException(Prefix + "Region",
                $"{Prefix}Region '{wanted}' {what}. Available regions: {string.Join(", ", available.Select(r => r.Slug))}.");
        }

        return region;
    }

    private static DoSize PickSize(string? wanted, DoRegion region, IReadOnlyList<DoSize> sizes)
    {
        var offered = sizes.Where(s => s.Available && (s.Regions.Contains(region.Slug) || region.Sizes.Contains(s.Slug))).ToList();
        if (wanted is null)
        {
            return offered.OrderBy(s => s.PriceMonthly).ThenBy(s => s.Memory).ThenBy(s => s.Disk).FirstOrDefault()
                ?? throw new DoSettingsException(Prefix + "Size", $"Region '{region.Slug}' offers no droplet size; set BuildDropletSettings.Size or another Region.");
        }

        var size = sizes.FirstOrDefault(s => string.Equals(s.Slug, wanted, StringComparison.OrdinalIgnoreCase));
        if (size is null)
        {
            throw new DoSettingsException(Prefix + "Size",
                $"{Prefix}Size '{wanted}' is not a DigitalOcean droplet size. Smallest sizes in {region.Slug}: {string.Join(", ", offered.OrderBy(s => s.PriceMonthly).Take(5).Select(s => s.Slug))}.");
        }

        if (!offered.Contains(size))
        {
            throw new DoSettingsException(Prefix + "Size",
                $"{Prefix}Size '{wanted}' is not available in region '{region.Slug}'. Sizes there: {string.Join(", ", offered.OrderBy(s => s.PriceMonthly).Take(5).Select(s => s.Slug))}.");
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
