using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace;

/// <summary>Packer JSON templates of the DigitalOcean kind, built through the addin.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Builds a Packer JSON template of the DigitalOcean kind (DigitalOcean's <c>marketplace-image.json</c>, the 1-Click
    /// <c>template.json</c>s) unchanged: its <c>digitalocean</c> builder becomes the build droplet and snapshot, its
    /// <c>variables</c> (with <c>{{env}}</c>, <c>{{timestamp}}</c>, <c>sensitive-variables</c> redacted) are resolved, and
    /// its <c>shell</c> and <c>file</c> provisioners run in order on the droplet, each a step of the summary table. Then
    /// the addin adds what Packer does not: cleanup, first-boot readiness, the 18 Marketplace checks + /tmp mode (19), and
    /// the image test on a new droplet. Anything in the template the addin cannot honour (another builder, a
    /// post-processor, an <c>ansible</c> provisioner, an unknown field) is refused before any droplet exists, with the
    /// template and the field named. The build droplet and its key are destroyed on every path.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="template">The template (relative to the script's folder); its relative paths start at its own folder.</param>
    /// <param name="settings">Variables and what the addin adds.</param>
    /// <returns>The image, reports and step timings, as <c>DoBuildImage</c>.</returns>
    /// <example>
    /// <code>
    /// var settings = new PackerTemplateSettings();
    /// settings.Variables["application_version"] = "2.4.1";
    /// settings.Test.HttpChecks.Add(new HttpCheck("/", 200));
    /// var result = DoBuildPackerTemplate("./marketplace-image.json", settings);
    /// Information("Image {0}", result.Image.ImageId);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packer' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packer")]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static MarketplaceImageResult DoBuildPackerTemplate(this ICakeContext context, FilePath template, PackerTemplateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log(context);
        return new PackerImageBuild(context.FileSystem, context.Environment, log)
            .Build(template.FullPath, template.MakeAbsolute(context.Environment).FullPath, settings);
    }

    /// <summary>Builds a Packer JSON template; see <see cref="DoBuildPackerTemplate(ICakeContext, FilePath, PackerTemplateSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="template">The template (relative to the script's folder).</param>
    /// <param name="configure">Sets the variables and what the addin adds; may be omitted.</param>
    /// <returns>The image, reports and step timings, as <c>DoBuildImage</c>.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildPackerTemplate("marketplace-image.json", s => s.Variables["do_api_token"] = EnvironmentVariable("DO_TOKEN"));
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packer' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packer")]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static MarketplaceImageResult DoBuildPackerTemplate(this ICakeContext context, FilePath template,
        Action<PackerTemplateSettings>? configure = null) =>
        context.DoBuildPackerTemplate(template, Configure(configure ?? (_ => { })));
}
