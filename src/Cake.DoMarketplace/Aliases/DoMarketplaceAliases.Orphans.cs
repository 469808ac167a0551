using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Orphans;

namespace Cake.DoMarketplace;

/// <summary>Removing what crashed builds left behind.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Deletes droplets, temporary SSH keys and unfinished snapshots left by builds of this addin whose process died
    /// (cancelled runner, OOM kill, lost machine) — never those of a build still running on this machine, of a build
    /// younger than <see cref="OrphanCleanupSettings.OlderThan"/>, or a droplet kept for debugging. Prints a table first.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The age limit, dry run, and how to reach the API.</param>
    /// <returns>The orphans found, each with whether it was deleted.</returns>
    /// <example>
    /// <code>
    /// Task("Sweep").Does(() => DoCleanupOrphans(new OrphanCleanupSettings { OlderThan = TimeSpan.FromHours(3) }));
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='cleanup' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Orphans")]
    public static IReadOnlyList<Orphan> DoCleanupOrphans(this ICakeContext context, OrphanCleanupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        OrphanSweeper.CheckSettings(settings, nameof(OrphanCleanupSettings) + ".");
        using var api = CreateApiClient(context, settings, $"{nameof(OrphanCleanupSettings)}.{nameof(settings.Token)}");
        var sweeper = new OrphanSweeper(api, Log(context), BuildLeases.For(context.FileSystem, context.Environment));
        return BuildCancellation.Run(t => sweeper.SweepAsync(settings, t));
    }

    /// <summary>Deletes what crashed builds left behind; see <see cref="DoCleanupOrphans(ICakeContext, OrphanCleanupSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="configure">Sets the age limit, dry run, and how to reach the API.</param>
    /// <returns>The orphans found, each with whether it was deleted.</returns>
    /// <example>
    /// <code>
    /// var orphans = DoCleanupOrphans(s => s.DryRun = true);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='cleanup' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Orphans")]
    public static IReadOnlyList<Orphan> DoCleanupOrphans(this ICakeContext context, Action<OrphanCleanupSettings> configure) =>
        context.DoCleanupOrphans(Configure(configure));
}
