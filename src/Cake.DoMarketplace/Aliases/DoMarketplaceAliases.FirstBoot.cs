using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;

namespace Cake.DoMarketplace;

/// <summary>First-boot scripts, the first-login script and the MOTD.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Installs a script that cloud-init runs once per machine lifetime — on the first boot of each droplet made from the image, since DoCleanupImage clears
    /// cloud-init's record of the build droplet's own boot: into <c>/var/lib/cloud/scripts/per-once/</c>, executable,
    /// with LF line endings. The name needs a numeric order prefix (<c>01-name.sh</c>) and the script a shebang.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file; its name is used unless settings give another.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerOnceScript(droplet, "./scripts/01-setup.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerOnceScript(this ICakeContext context, BuildDroplet droplet, FilePath script) =>
        context.DoInstallPerOnceScript(droplet, script, new FirstBootScriptSettings());

    /// <summary>Installs a per-once first-boot script; see <see cref="DoInstallPerOnceScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="settings">Name on the droplet and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerOnceScript(droplet, "./scripts/setup.sh", new FirstBootScriptSettings { Name = "01-setup.sh", LineEndings = LineEndingHandling.Reject });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerOnceScript(this ICakeContext context, BuildDroplet droplet, FilePath script, FirstBootScriptSettings settings) =>
        InstallStageScript(context, droplet, script, FirstBootStage.PerOnce, settings);

    /// <summary>Installs a per-once first-boot script; see <see cref="DoInstallPerOnceScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="configure">Sets the name on the droplet and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerOnceScript(droplet, "./scripts/setup.sh", s => s.Name = "01-setup.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerOnceScript(this ICakeContext context, BuildDroplet droplet, FilePath script, Action<FirstBootScriptSettings> configure) =>
        context.DoInstallPerOnceScript(droplet, script, Configure(configure));

    /// <summary>
    /// Installs a script that cloud-init runs once per instance — on the first boot of every droplet made from the image: into
    /// <c>/var/lib/cloud/scripts/per-instance/</c>, executable,
    /// with LF line endings. The name needs a numeric order prefix (<c>01-name.sh</c>) and the script a shebang.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file; its name is used unless settings give another.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerInstanceScript(droplet, "./scripts/02-generate-secrets.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerInstanceScript(this ICakeContext context, BuildDroplet droplet, FilePath script) =>
        context.DoInstallPerInstanceScript(droplet, script, new FirstBootScriptSettings());

    /// <summary>Installs a per-instance first-boot script; see <see cref="DoInstallPerInstanceScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="settings">Name on the droplet and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerInstanceScript(droplet, "./scripts/setup.sh", new FirstBootScriptSettings { Name = "02-generate-secrets.sh", LineEndings =
    /// LineEndingHandling.Reject });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerInstanceScript(this ICakeContext context, BuildDroplet droplet, FilePath script, FirstBootScriptSettings settings) =>
        InstallStageScript(context, droplet, script, FirstBootStage.PerInstance, settings);

    /// <summary>Installs a per-instance first-boot script; see <see cref="DoInstallPerInstanceScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="configure">Sets the name on the droplet and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerInstanceScript(droplet, "./scripts/setup.sh", s => s.Name = "02-generate-secrets.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerInstanceScript(this ICakeContext context, BuildDroplet droplet, FilePath script,
        Action<FirstBootScriptSettings> configure) =>
        context.DoInstallPerInstanceScript(droplet, script, Configure(configure));

    /// <summary>
    /// Installs a script that cloud-init runs on every boot: into <c>/var/lib/cloud/scripts/per-boot/</c>, executable,
    /// with LF line endings. The name needs a numeric order prefix (<c>01-name.sh</c>) and the script a shebang.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file; its name is used unless settings give another.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerBootScript(droplet, "./scripts/50-refresh.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerBootScript(this ICakeContext context, BuildDroplet droplet, FilePath script) =>
        context.DoInstallPerBootScript(droplet, script, new FirstBootScriptSettings());

    /// <summary>Installs a per-boot first-boot script; see <see cref="DoInstallPerBootScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="settings">Name on the droplet and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerBootScript(droplet, "./scripts/setup.sh", new FirstBootScriptSettings { Name = "50-refresh.sh", LineEndings = LineEndingHandling.Reject });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerBootScript(this ICakeContext context, BuildDroplet droplet, FilePath script, FirstBootScriptSettings settings) =>
        InstallStageScript(context, droplet, script, FirstBootStage.PerBoot, settings);

    /// <summary>Installs a per-boot first-boot script; see <see cref="DoInstallPerBootScript(ICakeContext, BuildDroplet, FilePath)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="configure">Sets the name on the droplet and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallPerBootScript(droplet, "./scripts/setup.sh", s => s.Name = "50-refresh.sh");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallPerBootScript(this ICakeContext context, BuildDroplet droplet, FilePath script, Action<FirstBootScriptSettings> configure) =>
        context.DoInstallPerBootScript(droplet, script, Configure(configure));

    /// <summary>
    /// Installs the first-login script the guide describes: <c>/opt/&lt;company&gt;/&lt;name&gt;.sh</c>, executable, ending with
    /// <c>cp -f /etc/skel/.bashrc /root/.bashrc</c> (appended when missing) so it runs on the first interactive root login
    /// only, and the line that runs it appended to <c>/root/.bashrc</c>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="settings">Company folder (required), name and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallFirstLoginScript(droplet, "./scripts/first-login.sh", new FirstLoginScriptSettings { Company = "acme", Name = "setup" });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallFirstLoginScript(this ICakeContext context, BuildDroplet droplet, FilePath script, FirstLoginScriptSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(settings);
        var path = script.MakeAbsolute(context.Environment).FullPath;
        var session = Live(droplet).Session;
        var installer = new FirstBootInstaller(session, context.FileSystem, Log(context));
        return BuildCancellation.Run(t => installer.InstallFirstLoginScriptAsync(path, settings, t));
    }

    /// <summary>
    /// Installs the first-login script; see <see cref="DoInstallFirstLoginScript(ICakeContext, BuildDroplet, FilePath, FirstLoginScriptSettings)"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="script">The local script file.</param>
    /// <param name="configure">Sets company folder (required), name and line-ending handling.</param>
    /// <returns>The path of the installed script.</returns>
    /// <example>
    /// <code>
    /// DoInstallFirstLoginScript(droplet, "./scripts/first-login.sh", s => s.Company = "acme");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    [CakeNamespaceImport("Cake.DoMarketplace.FirstBoot")]
    public static string DoInstallFirstLoginScript(this ICakeContext context, BuildDroplet droplet, FilePath script,
        Action<FirstLoginScriptSettings> configure) =>
        context.DoInstallFirstLoginScript(droplet, script, Configure(configure));

    /// <summary>
    /// Sets the message of the day shown at login: an executable <c>/etc/update-motd.d/99-&lt;name&gt;</c> that prints the
    /// text, so it comes last.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="name">A plain name without <c>/</c>, such as <c>myapp</c>.</param>
    /// <param name="text">The text to show.</param>
    /// <returns>The path of the MOTD script.</returns>
    /// <example>
    /// <code>
    /// DoSetMotd(droplet, "myapp", "Welcome to MyApp. Open http://your-droplet-ip/ to finish the setup.");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.FirstBoot)]
    public static string DoSetMotd(this ICakeContext context, BuildDroplet droplet, string name, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(text);
        FirstBootInstaller.CheckPlainName(name ?? string.Empty, "MOTD name", "myapp");
        var session = Live(droplet).Session;
        var installer = new FirstBootInstaller(session, context.FileSystem, Log(context));
        return BuildCancellation.Run(t => installer.SetMotdAsync(name!, text, t));
    }

    private static string InstallStageScript(ICakeContext context, BuildDroplet droplet, FilePath script, FirstBootStage stage,
        FirstBootScriptSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(settings);
        var path = script.MakeAbsolute(context.Environment).FullPath;
        FirstBootInstaller.CheckStageScriptName(settings.Name ?? System.IO.Path.GetFileName(path),
            $"{nameof(FirstBootScriptSettings)}.{nameof(settings.Name)}");
        var session = Live(droplet).Session;
        var installer = new FirstBootInstaller(session, context.FileSystem, Log(context));
        return BuildCancellation.Run(t => installer.InstallStageScriptAsync(path, stage, settings, t));
    }
}
