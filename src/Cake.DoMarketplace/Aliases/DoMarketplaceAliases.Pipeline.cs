using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace;

/// <summary>The whole build in one alias.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Builds a Marketplace image from settings in one call: build droplet, updates, packages, the <c>files/</c> tree,
    /// the numbered <c>scripts/</c>, first-boot scripts, first-login script, MOTD, cleanup, readiness, the 18 Marketplace checks + /tmp mode (19),
    /// snapshot (and transfers), and the image test on a new droplet (<c>DoTestImage</c> with <c>settings.Test</c>,
    /// including its app checks from outside: HTTP answers, open and firewalled ports, systemd services). Every local
    /// setting, the image test's included, is checked before anything is created. Each step announces itself; a summary
    /// table (step, duration, result) and where the reports went end the run, success or failure. The build droplet and
    /// its key are destroyed on every path; the building-block aliases stay usable one by one.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The image's recipe.</param>
    /// <returns>The image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// var settings = new MarketplaceImageSettings { FilesDirectory = "./files", ScriptsDirectory = "./scripts", MotdName = "myapp", MotdText = "Welcome" };
    /// settings.PerInstanceScripts.Add("./first-boot/01-secrets.sh");
    /// settings.Test.HttpChecks.Add(new HttpCheck("/", 200, "Welcome"));
    /// settings.Test.OpenPorts.Add(80);
    /// settings.Test.ClosedPorts.Add(8080);
    /// settings.Test.Services.Add("nginx");
    /// var result = DoBuildImage(settings);
    /// Information("Image {0}", result.Image.ImageId);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='build-image' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static MarketplaceImageResult DoBuildImage(this ICakeContext context, MarketplaceImageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MarketplaceImagePipeline(context.FileSystem, context.Environment, Log(context)).Build(settings);
    }

    /// <summary>Builds a Marketplace image from settings; see <see cref="DoBuildImage(ICakeContext, MarketplaceImageSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="configure">Sets the image's recipe.</param>
    /// <returns>The image, reports and step timings.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildImage(s => { s.FilesDirectory = "./files"; s.ScriptsDirectory = "./scripts"; s.Snapshot.Name = "myapp-1.0"; });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='build-image' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static MarketplaceImageResult DoBuildImage(this ICakeContext context, Action<MarketplaceImageSettings> configure) =>
        context.DoBuildImage(Configure(configure));
}
