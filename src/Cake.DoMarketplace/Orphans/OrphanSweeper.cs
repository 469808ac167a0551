using System.Globalization;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.Orphans;

/// <summary>
/// Finds what builds of this addin left behind when their process died (runner cancelled, OOM-killed, <c>kill -9</c>):
/// droplets tagged <c>cake-domarketplace</c>, temporary keys named after a build, and snapshots still carrying a
/// build's tag. A build is an orphan when it holds no lease on this machine and its newest resource is older than the
/// limit; a droplet kept for debugging (and its key) is never one. Prints a table, then deletes (unless a dry run).
/// </summary>
internal sealed class OrphanSweeper(IDoApiClient api, ICakeLog log, TimeProvider clock, Func<string, bool> isRunningHere)
{
    /// <param name="api">The account to sweep.</param>
    /// <param name="log">The build log.</param>
    /// <param name="leases">Where this machine's running builds hold their leases.</param>
    public OrphanSweeper(IDoApiClient api, ICakeLog log, BuildLeases leases)
        : this(api, log, TimeProvider.System, leases.IsHeld)
    {
    }

    public static void CheckSettings(OrphanCleanupSettings settings, string prefix)
    {
        if (settings.OlderThan < TimeSpan.Zero)
        {
            throw new DoSettingsException(prefix + nameof(settings.OlderThan),
                $"{prefix}{nameof(settings.OlderThan)} must not be negative, for example TimeSpan.FromHours(2).");
        }
    }

    public async Task<IReadOnlyList<Orphan>> SweepAsync(OrphanCleanupSettings settings, CancellationToken cancellationToken)
    {
        var found = await FindAsync(settings.OlderThan, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            log.Info($"No orphans: nothing left by a build that stopped more than {DurationText.Of(settings.OlderThan)} ago");
            return found;
        }

        log.Warn(
            $"{found.Count} resource(s) left by {found.Select(o => o.BuildId).Distinct().Count()} build(s) that are no longer "
            + $"running{(settings.DryRun ? " (dry run: nothing is deleted)" : string.Empty)}:");
        log.Warn($"  {"kind",-9} {"id",-12} {"build",-9} {"created (UTC)",-20} name");
        foreach (var o in found)
        {
            log.Warn(
                $"  {o.Kind,-9} {o.Id,-12} {o.BuildId,-9} {o.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} "
                + $"{o.Name}");
        }

        if (settings.DryRun)
        {
            return found;
        }

        // Droplets first: a droplet still using a key is what a person would look at; keys and snapshots after.
        var cleaner = new BuildResourceCleaner(api, log);
        var result = new List<Orphan>();
        foreach (var o in found.OrderBy(o => o.Kind))
        {
            var deleted = o.Kind switch
            {
                OrphanKind.Droplet => await cleaner.DeleteDropletAsync(o.Id, cancellationToken).ConfigureAwait(false),
                OrphanKind.SshKey => await cleaner.DeleteKeyAsync(o.Id, cancellationToken).ConfigureAwait(false),
                _ => await cleaner.DeleteSnapshotAsync(o.Id, cancellationToken).ConfigureAwait(false),
            };
            result.Add(o with { Deleted = deleted });
        }

        var left = result.Count(o => !o.Deleted);
        if (left > 0)
        {
            throw new CleanupIncompleteException($"{left} orphan(s)",
                $"{left} of {result.Count} orphaned resource(s) could not be deleted; see the errors above.");
        }

        log.Info($"Deleted {result.Count} orphaned resource(s)");
        return result;
    }

    private async Task<IReadOnlyList<Orphan>> FindAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var candidates = new List<Orphan>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var droplet in await api.ListDropletsByTagAsync(BuildIdentity.AddinTag, cancellationToken).ConfigureAwait(false))
        {
            if (droplet.Tags.Select(BuildIdentity.IdFromTag).OfType<string>().FirstOrDefault() is not { } build)
            {
                continue;
            }

            if (droplet.Tags.Contains(BuildIdentity.KeptTag))
            {
                kept.Add(build);
                continue;
            }

            candidates.Add(new Orphan(OrphanKind.Droplet, droplet.Id, droplet.Name, build, droplet.CreatedAt ?? DateTimeOffset.MinValue, Deleted: false));
        }

        foreach (var key in await api.ListSshKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            if (BuildIdentity.FromKeyName(key.Name) is { } build)
            {
                candidates.Add(new Orphan(OrphanKind.SshKey, key.Id, key.Name, build.Id, build.StartedAt, Deleted: false));
            }
        }

        foreach (var image in await api.ListPrivateImagesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (image.Tags.Select(BuildIdentity.IdFromTag).OfType<string>().FirstOrDefault() is { } build)
            {
                candidates.Add(new Orphan(OrphanKind.Snapshot, image.Id, image.Name, build, image.CreatedAt ?? DateTimeOffset.MinValue, Deleted: false));
            }
        }

        // A build is judged as a whole: its newest resource says when it was last active.
        var now = clock.GetUtcNow();
        var orphanBuilds = candidates
            .GroupBy(o => o.BuildId)
            .Where(g => !kept.Contains(g.Key) && now - g.Max(o => o.CreatedAt) >= olderThan && !isRunningHere(g.Key))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
        return candidates.Where(o => orphanBuilds.Contains(o.BuildId)).OrderBy(o => o.BuildId, StringComparer.Ordinal).ThenBy(o => o.Kind).ToList();
    }
}
