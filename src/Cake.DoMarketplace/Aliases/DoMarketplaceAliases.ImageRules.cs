using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace;

/// <summary>Image cleanup and validation.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Cleans the droplet for the snapshot, distro-aware (apt, dnf or yum): updates and package caches, the DigitalOcean
    /// agent, <c>/tmp</c> (recreated 1777), shell histories, cloud-init state (so per-once and per-instance scripts run on
    /// the customer's first boot), rotated and current logs including lastlog and wtmp, the machine id, free space, and
    /// last the SSH keys: <c>authorized_keys</c> and host keys go in the session that is already open. New SSH logins to
    /// the build droplet fail afterwards, so run this after everything else that needs a new connection. Each step logs
    /// what it removed. Its package commands wait while another process holds the package manager's locks, saying which,
    /// up to <see cref="CleanupSettings.PackageLockTimeout"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <returns>The cleanup script's result.</returns>
    /// <example>
    /// <code>
    /// DoCleanupImage(droplet);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    public static RemoteCommandResult DoCleanupImage(this ICakeContext context, BuildDroplet droplet) =>
        context.DoCleanupImage(droplet, new CleanupSettings());

    /// <summary>Cleans the droplet for the snapshot; see <see cref="DoCleanupImage(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="settings">Package updates, free space handling, paths to keep.</param>
    /// <returns>The cleanup script's result.</returns>
    /// <example>
    /// <code>
    /// var cleanup = new CleanupSettings { FreeSpace = FreeSpaceHandling.Trim };
    /// cleanup.KeepPaths.Add("/var/log/myapp");
    /// DoCleanupImage(droplet, cleanup);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static RemoteCommandResult DoCleanupImage(this ICakeContext context, BuildDroplet droplet, CleanupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var cleaner = new ImageCleaner(Live(droplet).Session, Log(context));
        return Diagnostics.BuildCancellation.Run(t => cleaner.CleanAsync(settings, t));
    }

    /// <summary>Cleans the droplet for the snapshot; see <see cref="DoCleanupImage(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="configure">Sets package updates, free space handling, paths to keep.</param>
    /// <returns>The cleanup script's result.</returns>
    /// <example>
    /// <code>
    /// DoCleanupImage(droplet, s => s.FreeSpace = FreeSpaceHandling.Skip);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static RemoteCommandResult DoCleanupImage(this ICakeContext context, BuildDroplet droplet, Action<CleanupSettings> configure) =>
        context.DoCleanupImage(droplet, Configure(configure));

    /// <summary>
    /// Runs the 18 checks of DigitalOcean's Marketplace validation on the droplet, at the same levels (FAIL, WARN,
    /// PASS) and without that script's bugs, plus our own check 19 (/tmp mode 1777, WARN), logs each result, writes the report as Markdown, JSON and JUnit XML
    /// (to
    /// <c>artifacts/image-validation</c> unless settings say otherwise) and fails the build on any FAIL unless told
    /// otherwise. Security updates are computed from the package manager's own metadata, and the time of the check is
    /// recorded: the same image can fail later when a new security update is published. The package index refresh waits
    /// while another process holds the package manager's locks, saying which, up to <see cref="ValidationSettings.PackageLockTimeout"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <returns>The report: each check's id, name, level, message and evidence.</returns>
    /// <example>
    /// <code>
    /// var report = DoValidateImage(droplet);
    /// Information(report.Summary);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='validation' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ValidationReport DoValidateImage(this ICakeContext context, BuildDroplet droplet) =>
        context.DoValidateImage(droplet, new ValidationSettings());

    /// <summary>Runs the Marketplace checks; see <see cref="DoValidateImage(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="settings">Failing on errors, package index refresh, extra releases.</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// var report = DoValidateImage(droplet, new ValidationSettings { FailOnError = false });
    /// if (report.HasFailures) Warning("Image would be rejected: {0}", report.Summary);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='validation' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ValidationReport DoValidateImage(this ICakeContext context, BuildDroplet droplet, ValidationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var validator = new ImageValidator(Live(droplet).Session, Log(context));
        var reports = settings.ReportDirectory is null
            ? null
            : new ReportFolder(context.FileSystem, settings.ReportDirectory.MakeAbsolute(context.Environment));
        return Diagnostics.BuildCancellation.Run(t => validator.ValidateAsync(settings, reports, t));
    }

    /// <summary>Runs the Marketplace checks; see <see cref="DoValidateImage(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="configure">Sets failing on errors, package index refresh, extra releases.</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// DoValidateImage(droplet, s => s.ExtraSupportedReleases.Add("Ubuntu 26.04"));
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='validation' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ValidationReport DoValidateImage(this ICakeContext context, BuildDroplet droplet, Action<ValidationSettings> configure) =>
        context.DoValidateImage(droplet, Configure(configure));

    /// <summary>
    /// Before the snapshot, looks for what would bite on a customer's first boot: per-once scripts that will not run
    /// because cloud-init's record of the build droplet's boot is still there, first-boot scripts that are not
    /// executable, lack a shebang, have CRLF endings or no order prefix, MOTD scripts that are not executable, and
    /// first-login scripts that are missing or would run on every login. Warns by default.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet, after DoCleanupImage.</param>
    /// <returns>The findings.</returns>
    /// <example>
    /// <code>
    /// DoCleanupImage(droplet);
    /// DoCheckImageReadiness(droplet);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='readiness' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ReadinessReport DoCheckImageReadiness(this ICakeContext context, BuildDroplet droplet) =>
        context.DoCheckImageReadiness(droplet, new ReadinessSettings());

    /// <summary>Checks first-boot readiness; see <see cref="DoCheckImageReadiness(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="settings">Whether a warning fails the build.</param>
    /// <returns>The findings.</returns>
    /// <example>
    /// <code>
    /// DoCheckImageReadiness(droplet, new ReadinessSettings { FailOnWarning = true });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='readiness' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ReadinessReport DoCheckImageReadiness(this ICakeContext context, BuildDroplet droplet, ReadinessSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var checker = new ReadinessChecker(Live(droplet).Session, Log(context));
        return Diagnostics.BuildCancellation.Run(t => checker.CheckAsync(settings, t));
    }

    /// <summary>Checks first-boot readiness; see <see cref="DoCheckImageReadiness(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="configure">Sets whether a warning fails the build.</param>
    /// <returns>The findings.</returns>
    /// <example>
    /// <code>
    /// DoCheckImageReadiness(droplet, s => s.FailOnWarning = true);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='remote' or @name='readiness' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ReadinessReport DoCheckImageReadiness(this ICakeContext context, BuildDroplet droplet, Action<ReadinessSettings> configure) =>
        context.DoCheckImageReadiness(droplet, Configure(configure));
}
