using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// One recipe and its variants made into one <see cref="MarketplaceImageSettings"/> per variant: the recipe applied to
/// fresh settings for each (so no variant shares a list or a nested setting with another), then the variant's own
/// base image, size, region and image name.
/// </summary>
internal static class ImageVariantRecipe
{
    private const string NameSetting = nameof(ImageVariant) + "." + nameof(ImageVariant.Name);

    public static (IReadOnlyList<MarketplaceImageSettings> Settings, IReadOnlyList<string> Names) Expand(
        Action<MarketplaceImageSettings> recipe, IReadOnlyList<ImageVariant> variants)
    {
        if (variants.Count == 0)
        {
            throw new DoSettingsException("variants",
                "DoBuildImages got no variant: pass one ImageVariant per image, such as new ImageVariant(\"debian-13\") { Image = \"debian-13-x64\" }.");
        }

        var settings = new List<MarketplaceImageSettings>();
        var names = new List<string>();
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i] ?? throw new ArgumentException($"Variant {i + 1} is null.", nameof(variants));
            if (string.IsNullOrWhiteSpace(variant.Name))
            {
                throw new DoSettingsException(NameSetting,
                    $"{NameSetting} of variant {i + 1} is blank: name each variant, such as new ImageVariant(\"debian-13\").");
            }

            if (names.FindIndex(n => string.Equals(n, variant.Name, StringComparison.OrdinalIgnoreCase)) is var first and >= 0)
            {
                throw new DoSettingsException(NameSetting,
                    $"{NameSetting}: variants {first + 1} and {i + 1} are both named '{variant.Name}' (case ignored): give each variant its own name.");
            }

            var built = new MarketplaceImageSettings();
            recipe(built);
            built.Droplet.Image = variant.Image ?? built.Droplet.Image;
            built.Droplet.Size = variant.Size ?? built.Droplet.Size;
            built.Droplet.Region = variant.Region ?? built.Droplet.Region;
            built.Snapshot.Name = string.IsNullOrWhiteSpace(built.Snapshot.Name) ? variant.Name : $"{built.Snapshot.Name}-{variant.Name}";
            settings.Add(built);
            names.Add(variant.Name);
        }

        return (settings, names);
    }
}
