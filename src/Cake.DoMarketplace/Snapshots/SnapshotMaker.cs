using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.Snapshots;

/// <summary>
/// Powers the build droplet off (graceful shutdown, power-off fallback), snapshots it, finds the new image, transfers
/// it to more regions in parallel and optionally destroys the droplet. A snapshot made by a run that then fails is
/// deleted unless <see cref="SnapshotSettings.KeepSnapshotOnFailure"/> is set.
/// </summary>
internal sealed class SnapshotMaker(IDoApiClient api, ICakeLog log)
{
    private const string Prefix = nameof(SnapshotSettings) + ".";
    private readonly ProgressWaiter waiter = new(log);

    public static void CheckLocally(SnapshotSettings settings)
    {
        if (settings.Name is not null)
        {
            SettingsRules.NotBlank(settings.Name, Prefix + nameof(settings.Name), "\"myapp-1.0\"");
        }

        SettingsRules.NoDuplicates(settings.TransferRegions, Prefix + nameof(settings.TransferRegions));
        SettingsRules.TagsValid(settings.Tags, Prefix + nameof(settings.Tags));
        SettingsRules.Positive(settings.ShutdownTimeout, Prefix + nameof(settings.ShutdownTimeout));
        SettingsRules.Positive(settings.PowerOffTimeout, Prefix + nameof(settings.PowerOffTimeout));
        SettingsRules.Positive(settings.SnapshotTimeout, Prefix + nameof(settings.SnapshotTimeout));
        SettingsRules.Positive(settings.SnapshotListTimeout, Prefix + nameof(settings.SnapshotListTimeout));
        SettingsRules.Positive(settings.TransferTimeout, Prefix + nameof(settings.TransferTimeout));
        SettingsRules.Positive(settings.UnlockTimeout, Prefix + nameof(settings.UnlockTimeout));
    }

    /// <param name="droplet">The droplet to snapshot.</param>
    /// <param name="settings">The snapshot's settings.</param>
    /// <param name="cancellationToken">Stops the waits.</param>
    /// <param name="running">
    /// True when the caller knows the droplet is running (the build's steps have just run on it over SSH): the shutdown is
    /// sent without reading the droplet first. A "pending event" refusal still waits for it to be unlocked.
    /// </param>
    public async Task<SnapshotResult> SnapshotAsync(BuildDroplet droplet, SnapshotSettings settings, CancellationToken cancellationToken, bool running = false)
    {
        CheckLocally(settings);
        await CheckTransferRegionsAsync(droplet.Region, settings, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var name = settings.Name ?? $"{droplet.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";

        droplet.Session.Dispose(); // the machine is going down; the build's session ends here
        var off = await PowerOffAsync(droplet.Id, running, settings, cancellationToken).ConfigureAwait(false);

        var known = off.SnapshotIds.ToHashSet();
        var action = await PostActionAsync(droplet.Id, new DoActionRequest { Type = "snapshot", Name = name }, settings, cancellationToken, ()
            => SnapshotExistsAsync(droplet.Id, name, known, cancellationToken)).ConfigureAwait(false);
        DoSnapshotInfo snapshot;
        if (action is not null)
        {
            log.Info($"Snapshot '{name}' of droplet {droplet.Id} started (action {action.Id})");
            snapshot = await WaitSnapshotAsync(droplet, action, name, known, settings, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            snapshot = await FindNewSnapshotAsync(droplet.Id, name, known, settings, cancellationToken).ConfigureAwait(false);
        }

        log.Detail($"Snapshot ready: image {snapshot.Id} '{snapshot.Name}'");
        try
        {
            var regions = await TransferAsync(snapshot, settings, cancellationToken).ConfigureAwait(false);
            await TagAsync(snapshot.Id, settings, cancellationToken).ConfigureAwait(false);
            if (settings.DestroyDroplet)
            {
                await new BuildDropletDestroyer(log).DestroyAsync(droplet, cancellationToken).ConfigureAwait(false);
            }

            var result = new SnapshotResult(snapshot.Id, snapshot.Name, regions, droplet.Id, clock.Elapsed);
            log.Info($"Snapshot done in {DurationText.Of(clock.Elapsed)}: {result}");
            return result;
        }
        catch (Exception failure) when (!settings.KeepSnapshotOnFailure)
        {
            log.Fail(
                $"A step after the snapshot failed ({SecretRedactor.Redact(failure.Message)}); deleting snapshot {snapshot.Id} (set KeepSnapshotOnFailure to "
                + "keep it)");
            var guard = new CleanupGuard(log);
            var cleaner = new BuildResourceCleaner(api, log);
            await guard.RunAsync($"delete snapshot {snapshot.Id}", () => cleaner.DeleteSnapshotAsync(snapshot.Id, CancellationToken.None))
                .ConfigureAwait(false);
            guard.Conclude(failure, "The snapshot");
            throw;
        }
    }

    private async Task CheckTransferRegionsAsync(string sourceRegion, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        if (settings.TransferRegions.Count == 0)
        {
            return;
        }

        var regions = await api.ListRegionsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var wanted in settings.TransferRegions)
        {
            if (string.Equals(wanted, sourceRegion, StringComparison.OrdinalIgnoreCase))
            {
                throw new DoSettingsException(Prefix + nameof(settings.TransferRegions),
                    $"{Prefix}TransferRegions lists '{wanted}', the region the snapshot is taken in; remove it.");
            }

            if (!regions.Any(r => r.Available && string.Equals(r.Slug, wanted, StringComparison.OrdinalIgnoreCase)))
            {
                throw new DoSettingsException(Prefix + nameof(settings.TransferRegions),
                    $"{Prefix}TransferRegions lists '{wanted}', which is not an available region. Available: "
                        + $"{string.Join(", ", regions.Where(r => r.Available).Select(r => r.Slug))}.");
            }
        }
    }

    private Task<DoDroplet> WaitUnlockedAsync(long id, SnapshotSettings settings, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"droplet {id} to be unlocked",
            settings.UnlockTimeout,
            Prefix + nameof(settings.UnlockTimeout),
            t => api.GetDropletAsync(id, t),
            d => !d.Locked,
            Describe,
            PollSchedule.Api,
            cancellationToken);

    /// <summary>Shuts the droplet down (power-off after <see cref="SnapshotSettings.ShutdownTimeout"/>); returns it off and unlocked.</summary>
    private async Task<DoDroplet> PowerOffAsync(long id, bool running, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        if (!running && await WaitUnlockedAsync(id, settings, cancellationToken).ConfigureAwait(false) is { Status: "off" } already)
        {
            log.Info($"Droplet {id} is already off");
            return already;
        }

        try
        {
            var shutdown = await PostActionAsync(id, new DoActionRequest { Type = "shutdown" }, settings, cancellationToken).ConfigureAwait(false);
            log.Info($"Shutting droplet {id} down (action {shutdown?.Id})");
            return await WaitOffAsync(id, settings.ShutdownTimeout, Prefix + nameof(settings.ShutdownTimeout), PollSchedule.Started,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WaitTimeoutException or ActionErroredException)
        {
            log.Warn($"Graceful shutdown of droplet {id} did not finish ({e.Message}); powering it off");
        }

        var powerOff = await PostActionAsync(id, new DoActionRequest { Type = "power_off" }, settings, cancellationToken).ConfigureAwait(false);
        if (powerOff is not null)
        {
            await WaitActionAsync(id, powerOff, $"power_off action {powerOff.Id} of droplet {id}", settings.PowerOffTimeout, Prefix
                + nameof(settings.PowerOffTimeout), PollSchedule.Started, cancellationToken).ConfigureAwait(false);
        }

        return await WaitOffAsync(id, settings.PowerOffTimeout, Prefix + nameof(settings.PowerOffTimeout), PollSchedule.Api,
            cancellationToken).ConfigureAwait(false);
    }

    private Task<DoDroplet> WaitOffAsync(long id, TimeSpan timeout, string setting, PollSchedule schedule, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"droplet {id} to be off and unlocked",
            timeout,
            setting,
            t => api.GetDropletAsync(id, t),
            d => d.Status == "off" && !d.Locked,
            Describe,
            schedule,
            cancellationToken);

    /// <summary>
    /// Posts a droplet action, waiting out "pending event" refusals while the droplet is locked. An answer that was lost
    /// (connection error, timeout, 5xx) is not blindly sent again: once the droplet is unlocked, <paramref name="alreadyDone"/>
    /// says whether the action happened after all (null is returned then).
    /// </summary>
    private Task<DoAction?> PostActionAsync(long id, DoActionRequest request, SnapshotSettings settings, CancellationToken cancellationToken,
        Func<Task<bool>>? alreadyDone = null) =>
        new Resender(log).SendOnceAsync<DoAction?>(
            $"sending {request.Type} to droplet {id}",
            async t => await PostWhenUnlockedAsync(id, request, settings, t).ConfigureAwait(false),
            async t =>
            {
                await WaitUnlockedAsync(id, settings, t).ConfigureAwait(false);
                if (alreadyDone is not null && await alreadyDone().ConfigureAwait(false))
                {
                    log.Info($"The lost {request.Type} request did happen");
                    return (true, null);
                }

                return (false, null);
            },
            cancellationToken);

    /// <summary>
    /// Sends the action; a "pending event" refusal (DigitalOcean runs one action at a time per droplet) is retried on
    /// <see cref="PollSchedule.PendingEvent"/>, each time once the droplet reads unlocked: a droplet can read unlocked
    /// while its event is still pending (one just created is <c>new</c> and unlocked), so a resend never follows at once.
    /// </summary>
    private Task<DoAction> PostWhenUnlockedAsync(long id, DoActionRequest request, SnapshotSettings settings, CancellationToken cancellationToken) =>
        new PendingEventRetry(log).SendAsync(
            t => api.PostDropletActionAsync(id, request, t),
            settings.UnlockTimeout,
            (_, delay) => $"Droplet {id} has a pending event; sending {request.Type} again in {delay.TotalSeconds:0}s, once it is unlocked",
            cancellationToken,
            beforeResend: t => WaitUnlockedAsync(id, settings, t));

    private async Task<bool> SnapshotExistsAsync(long dropletId, string name, HashSet<long> known, CancellationToken cancellationToken) =>
        (await api.ListDropletSnapshotsAsync(dropletId, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == name && !known.Contains(s.Id));

    private async Task<DoAction> WaitActionAsync(long dropletId, DoAction action, string what, TimeSpan timeout, string setting, PollSchedule schedule,
        CancellationToken cancellationToken)
    {
        // The droplet's own action address needs droplet:read, which the build has anyway; /v2/actions would need actions:read.
        var done = await waiter.WaitAsync(
            what,
            timeout,
            setting,
            t => api.GetDropletActionAsync(dropletId, action.Id, t),
            a => a.IsCompleted || a.IsErrored,
            a => a.Status,
            schedule,
            cancellationToken).ConfigureAwait(false);
        return done.IsErrored ? throw new ActionErroredException(done, what) : done;
    }

    /// <summary>
    /// Waits for a snapshot by reading the droplet: locked while the snapshot is taken, then unlocked with the new image in
    /// its <c>snapshot_ids</c> — one request per probe, where the action's status and then the snapshot list took two.
    /// Unlocked without a new image (the action errored, the listing lags, or the lock was not set yet), the action's
    /// status decides, then the snapshot list as before.
    /// </summary>
    private async Task<DoSnapshotInfo> WaitSnapshotAsync(BuildDroplet droplet, DoAction action, string name, HashSet<long> known, SnapshotSettings settings,
        CancellationToken cancellationToken)
    {
        var what = $"snapshot action {action.Id} of droplet {droplet.Id}";
        var setting = Prefix + nameof(settings.SnapshotTimeout);
        var unlocked = await waiter.WaitAsync(what, settings.SnapshotTimeout, setting, t => api.GetDropletAsync(droplet.Id, t), d => !d.Locked, Describe,
            PollSchedule.Started, cancellationToken).ConfigureAwait(false);
        if (unlocked.SnapshotIds.Where(i => !known.Contains(i)).ToList() is [var made])
        {
            return new DoSnapshotInfo { Id = made, Name = name, Regions = [droplet.Region], ResourceId = droplet.Id, ResourceType = "droplet" };
        }

        await WaitActionAsync(droplet.Id, action, what, settings.SnapshotTimeout, setting, PollSchedule.Api, cancellationToken).ConfigureAwait(false);
        return await FindNewSnapshotAsync(droplet.Id, name, known, settings, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DoSnapshotInfo> FindNewSnapshotAsync(long dropletId, string name, HashSet<long> known, SnapshotSettings settings,
        CancellationToken cancellationToken)
    {
        var found = await waiter.WaitAsync(
            $"snapshot '{name}' to appear in droplet {dropletId}'s snapshots",
            settings.SnapshotListTimeout,
            Prefix + nameof(settings.SnapshotListTimeout),
            t => api.ListDropletSnapshotsAsync(dropletId, t),
            list => list.Any(s => s.Name == name && !known.Contains(s.Id)),
            list => $"{list.Count} snapshot(s) listed",
            PollSchedule.Api,
            cancellationToken).ConfigureAwait(false);
        return found.Where(s => s.Name == name && !known.Contains(s.Id)).OrderByDescending(s => s.CreatedAt).First();
    }

    private async Task<IReadOnlyList<string>> TransferAsync(DoSnapshotInfo snapshot, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        var regions = new List<string>(snapshot.Regions);
        if (settings.TransferRegions.Count == 0)
        {
            return regions;
        }

        log.Info($"Transferring image {snapshot.Id} to {string.Join(", ", settings.TransferRegions)} in parallel");
        var transfers = settings.TransferRegions.Select(async region =>
        {
            var action = await api.TransferImageAsync(snapshot.Id, region, cancellationToken).ConfigureAwait(false);
            var done = await waiter.WaitAsync(
                $"transfer of image {snapshot.Id} to {region} (action {action.Id})",
                settings.TransferTimeout,
                Prefix + nameof(settings.TransferTimeout),
                t => api.GetImageActionAsync(snapshot.Id, action.Id, t),
                a => a.IsCompleted || a.IsErrored,
                a => a.Status,
                PollSchedule.Api,
                cancellationToken).ConfigureAwait(false);
            return done.IsErrored ? throw new ActionErroredException(done, $"transfer of image {snapshot.Id} to {region}") : region;
        });
        regions.AddRange(await Task.WhenAll(transfers).ConfigureAwait(false));
        return regions.Distinct().ToList();
    }

    private async Task TagAsync(long imageId, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        foreach (var tag in settings.Tags)
        {
            await api.TagCreatingAsync(tag, [new DoTaggedResource(imageId.ToString(System.Globalization.CultureInfo.InvariantCulture), "image")],
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(DoDroplet d) => $"status={d.Status}{(d.Locked ? " locked" : string.Empty)}";
}
