using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
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
    /// the image test on a new droplet. Anything in the template the addin cannot honour (another builder type, a
    /// post-processor, an <c>ansible</c> provisioner, an unknown field) is refused before any droplet exists, with the
    /// template and the field named. The build droplet and its key are destroyed on every path. A template with several
    /// builders is refused unless <see cref="PackerTemplateSettings.Only"/> or <see cref="PackerTemplateSettings.Except"/>
    /// leaves one: <c>DoBuildPackerTemplates</c> builds them all at once.
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

    /// <summary>
    /// Builds every <c>digitalocean</c> builder of a Packer JSON template at once, as Packer does, each as
    /// <c>DoBuildPackerTemplate</c> builds one: its own build droplet, key and snapshot, the provisioners its
    /// <c>only</c>/<c>except</c> give it, <c>{{build_name}}</c> its builder's <c>name</c>, then cleanup, readiness, the
    /// Marketplace checks and the image test. Builders need distinct names when there are several (Packer's rule: an
    /// unnamed builder is named after its type). <see cref="PackerTemplateSettings.Only"/> and
    /// <see cref="PackerTemplateSettings.Except"/> choose builders by name, as Packer's <c>-only</c> and <c>-except</c>;
    /// <see cref="PackerTemplateSettings.Builds"/> sets how many build at a time and what a failing one does to the others,
    /// as <c>DoBuildImages</c>, whose machinery runs the builds: each log line starts with the builder's name and one table
    /// with a column per builder ends the run. The whole template is read and checked before anything is created.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="template">The template (relative to the script's folder); its relative paths start at its own folder.</param>
    /// <param name="settings">Which builders, variables, what the addin adds, and how the builds run together.</param>
    /// <returns>One result per builder built, named after it, in the template's order.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildPackerTemplates("./template.json", new PackerTemplateSettings { Builds = { MaxParallel = 2 } });
    /// foreach (var build in result.Variants)
    /// {
    ///     Information("{0}: image {1}", build.Name, build.Image.Image.ImageId);
    /// }
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packer-builds' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packer")]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildPackerTemplates(this ICakeContext context, FilePath template, PackerTemplateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log(context);
        return new PackerImageBuild(context.FileSystem, context.Environment, log).BuildAll(
            template.FullPath, template.MakeAbsolute(context.Environment).FullPath, settings, BuildCancellation.Signals,
            (_, variantLog) => new MarketplaceImagePipeline(context.FileSystem, context.Environment, variantLog));
    }

    /// <summary>
    /// Builds every builder of a Packer JSON template at once; see
    /// <see cref="DoBuildPackerTemplates(ICakeContext, FilePath, PackerTemplateSettings)"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="template">The template (relative to the script's folder).</param>
    /// <param name="configure">Sets the builders, variables, what the addin adds and how the builds run together; may be omitted.</param>
    /// <returns>One result per builder built, named after it, in the template's order.</returns>
    /// <example>
    /// <code>
    /// var result = DoBuildPackerTemplates("template.json", s => s.Except.Add("debian-13"));
    /// Information("{0} image(s) built", result.Succeeded.Count);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packer-builds' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Pipeline)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packer")]
    [CakeNamespaceImport("Cake.DoMarketplace.Pipeline")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ImageBuildsResult DoBuildPackerTemplates(this ICakeContext context, FilePath template,
        Action<PackerTemplateSettings>? configure = null) =>
        context.DoBuildPackerTemplates(template, Configure(configure ?? (_ => { })));
}
