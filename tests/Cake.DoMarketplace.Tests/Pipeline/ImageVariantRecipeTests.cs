using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>DoBuildImages' recipe form: one recipe, run afresh for each variant, then the variant's own droplet and name.</summary>
public sealed class ImageVariantRecipeTests
{
    [Fact]
    public void Each_variant_gets_fresh_settings_from_the_recipe_with_its_own_image_size_region_and_image_name()
    {
        var runs = 0;
        void Recipe(MarketplaceImageSettings s)
        {
            runs++;
            s.Droplet.Image = "debian-12-x64";
            s.Droplet.Size = "s-1vcpu-1gb";
            s.Droplet.Region = "nyc3";
            s.Packages.Add("nginx");
            s.Snapshot.Name = "lemp";
        }

        var (settings, names) = ImageVariantRecipe.Expand(Recipe, [
            new ImageVariant("debian-12"),
            new ImageVariant("debian-13") { Image = "debian-13-x64", Size = "s-2vcpu-2gb", Region = "fra1" },
        ]);

        Assert.Equal(2, runs);
        Assert.Equal(["debian-12", "debian-13"], names);
        Assert.Equal(["lemp-debian-12", "lemp-debian-13"], settings.Select(s => s.Snapshot.Name));
        Assert.Equal(("debian-12-x64", "s-1vcpu-1gb", "nyc3"), (settings[0].Droplet.Image, settings[0].Droplet.Size, settings[0].Droplet.Region));
        Assert.Equal(("debian-13-x64", "s-2vcpu-2gb", "fra1"), (settings[1].Droplet.Image, settings[1].Droplet.Size, settings[1].Droplet.Region));
        settings[0].Packages.Add("php-fpm");
        Assert.Equal(["nginx"], settings[1].Packages); // nothing shared between variants
    }

    [Fact]
    public void Without_a_snapshot_name_in_the_recipe_each_image_is_named_after_its_variant()
    {
        var (settings, _) = ImageVariantRecipe.Expand(_ => { }, [new ImageVariant("small"), new ImageVariant("large") { Size = "s-2vcpu-4gb" }]);

        Assert.Equal(["small", "large"], settings.Select(s => s.Snapshot.Name));
        Assert.Equal([null, "s-2vcpu-4gb"], settings.Select(s => s.Droplet.Size));
    }

    [Theory]
    [InlineData(" ", "Second", "ImageVariant.Name of variant 1 is blank")]
    [InlineData("debian-13", "Debian-13", "ImageVariant.Name: variants 1 and 2 are both named 'Debian-13' (case ignored)")]
    public void Blank_or_repeated_names_are_refused_naming_the_setting(string first, string second, string message)
    {
        var error = Assert.Throws<DoSettingsException>(() => ImageVariantRecipe.Expand(_ => { }, [new ImageVariant(first), new ImageVariant(second)]));

        Assert.Equal("ImageVariant.Name", error.Setting);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_variant_is_refused()
    {
        var error = Assert.Throws<DoSettingsException>(() => ImageVariantRecipe.Expand(_ => { }, []));

        Assert.Contains("pass one ImageVariant per image, such as", error.Message, StringComparison.Ordinal);
    }
}
