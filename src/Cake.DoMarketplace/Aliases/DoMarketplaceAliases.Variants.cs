using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace;

/// <summary>Several images in one alias.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Builds several Marketplace images at once, each variant as <c>DoBuildImage</c> builds one: its own build droplet,
    /// temporary key, build tag and clean-ups. At most <see cref="BuildImagesSettings.MaxParallel"/> variants build at the
    /// same time; the others wait, in their order. Every variant's settings are checked before any starts, and each
    /// variant needs its own <c>Snapshot.Name</c>, which names it in the log (<c>[lemp-debian-12] ...</c>) and in the
    /// combined step table (a column per variant) that ends the run; its validation report goes to a folder of its own
    /// under <c>Validation.ReportDirectory</c>, named after it. A failing variant removes what it created and the
    /// others go on, unless <see cref="BuildImagesSettings.StopOnFirstFailure"/>. Ctrl-C or SIGTERM cancels every variant;
    /// each one's clean-ups run. All variants' API requests share the account's rate budget.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="variants">One recipe per image, each with its own <c>Snapshot.Name</c>.</param>
    /// <param name="settings">How many build at once and what a failing variant does to the others.</param>
    /// <returns>One result per variant, in the order given: its image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// MarketplaceImageSettings Lemp(string image)
    /// {
    ///     var s = new MarketplaceImageSettings { FilesDirectory = "./files", ScriptsDirectory = "./scripts" };
    ///     s.Droplet.Image = image;
    ///     s.Snapshot.Name = $"lemp-{image}";
    ///     return s;
    /// }
    /// var result = DoBuildImages(new[] { Lemp("debian-12-x64"), Lemp("debian-13-x64") }, new BuildImagesSettings { MaxParallel = 2 });
    /// foreach (var variant in result.Variants)
    /// {
    ///     Information("{0}: image {1}", variant.Name, variant.Image.Image.ImageId);
    /// }
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build-images' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildImages(this ICakeContext context, IEnumerable<MarketplaceImageSettings> variants, BuildImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(settings);
        return VariantsBuild(context).Build([.. variants], settings);
    }

    /// <summary>
    /// Builds several Marketplace images at once; see
    /// <see cref="DoBuildImages(ICakeContext, IEnumerable{MarketplaceImageSettings}, BuildImagesSettings)"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="variants">One recipe per image, each with its own <c>Snapshot.Name</c>.</param>
    /// <param name="configure">Sets how many build at once and what a failing variant does to the others.</param>
    /// <returns>One result per variant, in the order given: its image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildImages(variants, s => { s.MaxParallel = 2; s.StopOnFirstFailure = true; });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build-images' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildImages(this ICakeContext context, IEnumerable<MarketplaceImageSettings> variants,
        Action<BuildImagesSettings> configure) =>
        context.DoBuildImages(variants, Configure(configure));

    /// <summary>
    /// Builds several Marketplace images at once, 3 at a time, the others going on when one fails; see
    /// <see cref="DoBuildImages(ICakeContext, IEnumerable{MarketplaceImageSettings}, BuildImagesSettings)"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="variants">One recipe per image, each with its own <c>Snapshot.Name</c>.</param>
    /// <returns>One result per variant, in the order given: its image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildImages(new[] { lemp12, lemp13 });
    /// Information("{0} image(s) built", result.Succeeded.Count);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build-images' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildImages(this ICakeContext context, IEnumerable<MarketplaceImageSettings> variants) =>
        context.DoBuildImages(variants, new BuildImagesSettings());

    /// <summary>
    /// Builds one recipe in several variants at once: for each <see cref="ImageVariant"/>, fresh settings made by
    /// <paramref name="recipe"/>, then the variant's base image, size and region; its image is named the recipe's
    /// <c>Snapshot.Name</c> followed by <c>-</c> and the variant's name (the name alone when the recipe sets none). Then as
    /// <see cref="DoBuildImages(ICakeContext, IEnumerable{MarketplaceImageSettings}, BuildImagesSettings)"/>, each variant
    /// named in the log and the table by its own name.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="recipe">Sets up one image's settings; run once per variant.</param>
    /// <param name="variants">The variants: each a name and what it changes (base image, size, region).</param>
    /// <param name="settings">How many build at once and what a failing variant does to the others.</param>
    /// <returns>One result per variant, in the order given: its image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildImages(
    ///     s => { s.FilesDirectory = "./files"; s.ScriptsDirectory = "./scripts"; s.Snapshot.Name = "lemp"; },
    ///     new[] { new ImageVariant("debian-12") { Image = "debian-12-x64" }, new ImageVariant("debian-13") { Image = "debian-13-x64" } },
    ///     new BuildImagesSettings { MaxParallel = 2 });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build-images' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildImages(this ICakeContext context, Action<MarketplaceImageSettings> recipe, IEnumerable<ImageVariant> variants,
        BuildImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(settings);
        var (images, names) = ImageVariantRecipe.Expand(recipe, [.. variants]);
        return VariantsBuild(context).Build(images, settings, names);
    }

    /// <summary>
    /// Builds one recipe in several variants at once, 3 at a time; see
    /// <see cref="DoBuildImages(ICakeContext, Action{MarketplaceImageSettings}, IEnumerable{ImageVariant}, BuildImagesSettings)"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="recipe">Sets up one image's settings; run once per variant.</param>
    /// <param name="variants">The variants: each a name and what it changes (base image, size, region).</param>
    /// <returns>One result per variant, in the order given: its image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildImages(s => s.Snapshot.Name = "nginx", new[] { new ImageVariant("small"), new ImageVariant("large") { Size = "s-2vcpu-4gb" } });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build-images' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildImages(this ICakeContext context, Action<MarketplaceImageSettings> recipe, IEnumerable<ImageVariant> variants) =>
        context.DoBuildImages(recipe, variants, new BuildImagesSettings());

    private static ImageVariantsBuild VariantsBuild(ICakeContext context) =>
        new(context.FileSystem, context.Environment, Log(context), BuildCancellation.Signals,
            (_, variantLog) => new MarketplaceImagePipeline(context.FileSystem, context.Environment, variantLog));
}
