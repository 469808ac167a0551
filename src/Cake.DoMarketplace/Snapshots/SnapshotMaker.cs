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

    public async Task<SnapshotResult> SnapshotAsync(BuildDroplet droplet, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        CheckLocally(settings);
        await CheckTransferRegionsAsync(droplet.Region, settings, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var name = settings.Name ?? $"{droplet.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}";

        droplet.Session.Dispose(); // the machine is going down; the build's session ends here
        var before = await WaitUnlockedAsync(droplet.Id, settings, cancellationToken).ConfigureAwait(false);
        await PowerOffAsync(droplet.Id, before, settings, cancellationToken).ConfigureAwait(false);

        var known = before.SnapshotIds.ToHashSet();
        var action = await PostActionAsync(droplet.Id, new DoActionRequest { Type = "snapshot", Name = name }, settings, cancellationToken, () => SnapshotExistsAsync(droplet.Id, name, known, cancellationToken)).ConfigureAwait(false);
        if (action is not null)
        {
            log.Info($"Snapshot '{name}' of droplet {droplet.Id} started (action {action.Id})");
            await WaitActionAsync(action, $"snapshot action {action.Id} of droplet {droplet.Id}", settings.SnapshotTimeout, Prefix + nameof(settings.SnapshotTimeout), cancellationToken).ConfigureAwait(false);
        }

        var snapshot = await FindNewSnapshotAsync(droplet.Id, name, known, settings, cancellationToken).ConfigureAwait(false);
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
            log.Info($"Snapshot done in {WaitTimeoutException.Format(clock.Elapsed)}: {result}");
            return result;
        }
        catch (Exception failure) when (!settings.KeepSnapshotOnFailure)
        {
            log.Fail($"A step after the snapshot failed ({SecretRedactor.Redact(failure.Message)}); deleting snapshot {snapshot.Id} (set KeepSnapshotOnFailure to keep it)");
            await new BuildResourceCleaner(api, log).DeleteSnapshotAsync(snapshot.Id, CancellationToken.None).ConfigureAwait(false);
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
                    $"{Prefix}TransferRegions lists '{wanted}', which is not an available region. Available: {string.Join(", ", regions.Where(r => r.Available).Select(r => r.Slug))}.");
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

    private async Task PowerOffAsync(long id, DoDroplet current, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        if (current.Status == "off")
        {
            log.Info($"Droplet {id} is already off");
            return;
        }

        try
        {
            var shutdown = await PostActionAsync(id, new DoActionRequest { Type = "shutdown" }, settings, cancellationToken).ConfigureAwait(false);
            log.Info($"Shutting droplet {id} down (action {shutdown?.Id})");
            await WaitOffAsync(id, settings.ShutdownTimeout, Prefix + nameof(settings.ShutdownTimeout), cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is WaitTimeoutException or ActionErroredException)
        {
            log.Warn($"Graceful shutdown of droplet {id} did not finish ({e.Message}); powering it off");
        }

        var powerOff = await PostActionAsync(id, new DoActionRequest { Type = "power_off" }, settings, cancellationToken).ConfigureAwait(false);
        if (powerOff is not null)
        {
            await WaitActionAsync(powerOff, $"power_off action {powerOff.Id} of droplet {id}", settings.PowerOffTimeout, Prefix + nameof(settings.PowerOffTimeout), cancellationToken).ConfigureAwait(false);
        }

        await WaitOffAsync(id, settings.PowerOffTimeout, Prefix + nameof(settings.PowerOffTimeout), cancellationToken).ConfigureAwait(false);
    }

    private Task<DoDroplet> WaitOffAsync(long id, TimeSpan timeout, string setting, CancellationToken cancellationToken) =>
        waiter.WaitAsync(
            $"droplet {id} to be off and unlocked",
            timeout,
            setting,
            t => api.GetDropletAsync(id, t),
            d => d.Status == "off" && !d.Locked,
            Describe,
            PollSchedule.Api,
            cancellationToken);

    /// <summary>
    /// Posts a droplet action, waiting out "pending event" refusals while the droplet is locked. An answer that was lost
    /// (connection error, timeout, 5xx) is not blindly sent again: once the droplet is unlocked, <paramref name="alreadyDone"/>
    /// says whether the action happened after all (null is returned then).
    /// </summary>
    private Task<DoAction?> PostActionAsync(long id, DoActionRequest request, SnapshotSettings settings, CancellationToken cancellationToken, Func<Task<bool>>? alreadyDone = null) =>
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

    private async Task<DoAction> PostWhenUnlockedAsync(long id, DoActionRequest request, SnapshotSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await api.PostDropletActionAsync(id, request, cancellationToken).ConfigureAwait(false);
            }
            catch (DoApiException e) when (e.IsPendingEvent && clock.Elapsed < settings.UnlockTimeout)
            {
                log.Detail($"Droplet {id} has a pending event; waiting to send {request.Type}");
                await WaitUnlockedAsync(id, settings, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> SnapshotExistsAsync(long dropletId, string name, HashSet<long> known, CancellationToken cancellationToken) =>
        (await api.ListDropletSnapshotsAsync(dropletId, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == name && !known.Contains(s.Id));

    private async Task<DoAction> WaitActionAsync(DoAction action, string what, TimeSpan timeout, string setting, CancellationToken cancellationToken)
    {
        var done = await waiter.WaitAsync(
            what,
            timeout,
            setting,
            t => api.GetActionAsync(action.Id, t),
            a => a.IsCompleted || a.IsErrored,
            a => a.Status,
            PollSchedule.Api,
            cancellationToken).ConfigureAwait(false);
        return done.IsErrored ? throw new ActionErroredException(done, what) : done;
    }

    private async Task<DoSnapshotInfo> FindNewSnapshotAsync(long dropletId, string name, HashSet<long> known, SnapshotSettings settings, CancellationToken cancellationToken)
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
            await api.CreateTagAsync(tag, cancellationToken).ConfigureAwait(false);
            await api.TagResourcesAsync(tag, [new DoTaggedResource(imageId.ToString(System.Globalization.CultureInfo.InvariantCulture), "image")], cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(DoDroplet d) => $"status={d.Status}{(d.Locked ? " locked" : string.Empty)}";
}
