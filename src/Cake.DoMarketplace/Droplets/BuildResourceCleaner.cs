using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Deletes what a build created — droplet, temporary key, snapshot — retrying through "pending event" answers and
/// transient errors, and saying exactly what is left when it cannot.
/// </summary>
internal sealed class BuildResourceCleaner(IDoApiClient api, ICakeLog log)
{
    /// <summary>How long a delete refused for a pending event is retried: a droplet's event (a shutdown, a snapshot) ends well within it.</summary>
    private static readonly TimeSpan PendingEventPatience = TimeSpan.FromMinutes(3);

    /// <summary>Deletes a droplet; true when it is gone (or was already).</summary>
    public async Task<bool> DeleteDropletAsync(long dropletId, CancellationToken cancellationToken)
    {
        var ok = await TryAsync($"droplet {dropletId}", t => api.DeleteDropletAsync(dropletId, t), cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            log.Fail(
                $"Droplet {dropletId} may still exist and be billed. Delete it with: doctl compute droplet delete {dropletId} (or DELETE "
                + $"/v2/droplets/{dropletId}).");
        }

        return ok;
    }

    /// <summary>Deletes an SSH key; true when it is gone (or was already).</summary>
    public async Task<bool> DeleteKeyAsync(long keyId, CancellationToken cancellationToken)
    {
        var ok = await TryAsync($"temporary SSH key {keyId}", t => api.DeleteSshKeyAsync(keyId, t), cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            log.Fail($"Temporary SSH key {keyId} is still registered. Delete it with: doctl compute ssh-key delete {keyId}.");
        }

        return ok;
    }

    /// <summary>Deletes a snapshot image; true when it is gone (or was already).</summary>
    public async Task<bool> DeleteSnapshotAsync(long imageId, CancellationToken cancellationToken)
    {
        var ok = await TryAsync($"snapshot {imageId}", t => api.DeleteImageAsync(imageId, t), cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            log.Fail($"Snapshot {imageId} is still stored (and billed). Delete it with: doctl compute image delete {imageId}.");
        }

        return ok;
    }

    /// <summary>After a failure: removes the droplet, then the key, each in <paramref name="guard"/>, never throwing over the original error.</summary>
    public async Task RemoveAfterFailureAsync(CleanupGuard guard, long? dropletId, long? keyId)
    {
        // Cleanup must run even when the build was cancelled, so it does not take the build's token.
        if (dropletId is { } droplet)
        {
            await guard.RunAsync($"delete droplet {droplet}", () => DeleteDropletAsync(droplet, CancellationToken.None)).ConfigureAwait(false);
        }

        if (keyId is { } key)
        {
            await guard.RunAsync($"delete temporary SSH key {key}", () => DeleteKeyAsync(key, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a failure that left a create's outcome unseen (its answer lost or unusable, and the look-up failed too):
    /// deletes the droplets carrying the build's own tag and its temporary key by fingerprint, each in
    /// <paramref name="guard"/>, never throwing.
    /// </summary>
    public async Task RemoveUnseenAfterFailureAsync(CleanupGuard guard, string? buildTag, string? keyFingerprint)
    {
        if (buildTag is not null
            && await TryListAsync($"droplets tagged {buildTag}", $"doctl compute droplet delete --tag-name {buildTag}", t
                => api.ListDropletsByTagAsync(buildTag, t)).ConfigureAwait(false) is { } droplets)
        {
            foreach (var droplet in droplets)
            {
                await guard.RunAsync($"delete droplet {droplet.Id}", () => DeleteDropletAsync(droplet.Id, CancellationToken.None)).ConfigureAwait(false);
            }
        }

        if (keyFingerprint is not null
            && await TryListAsync($"an SSH key {keyFingerprint}", $"doctl compute ssh-key delete {keyFingerprint}", t
                => api.ListSshKeysAsync(t)).ConfigureAwait(false) is { } keys)
        {
            foreach (var key in keys.Where(k => k.Fingerprint == keyFingerprint))
            {
                await guard.RunAsync($"delete temporary SSH key {key.Id}", () => DeleteKeyAsync(key.Id, CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<T>?> TryListAsync<T>(string what, string command, Func<CancellationToken, Task<IReadOnlyList<T>>> list)
    {
        try
        {
            return await list(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DoMarketplaceException or TaskCanceledException)
        {
            log.Fail(
                $"Could not look for {what} the failed request may have made ({SecretRedactor.Redact(e.Message)}). If there is one, delete it with: "
                + $"{command}.");
            return null;
        }
    }

    private async Task<bool> TryAsync(string what, Func<CancellationToken, Task<bool>> delete, CancellationToken cancellationToken)
    {
        try
        {
            var existed = await new PendingEventRetry(log).SendAsync(
                delete,
                PendingEventPatience,
                (e, delay) => $"Cannot delete {what} yet ({e.ApiMessage}); retrying in {delay.TotalSeconds:0}s",
                cancellationToken).ConfigureAwait(false);
            log.Info(existed ? $"Deleted {what}" : $"{char.ToUpperInvariant(what[0])}{what[1..]} was already gone");
            return true;
        }
        catch (Exception e) when (e is DoApiException or DoApiProtocolException or DoApiTransportException or TaskCanceledException
                                  && !cancellationToken.IsCancellationRequested)
        {
            log.Fail($"Could not delete {what}: {SecretRedactor.Redact(e.Message)}");
            return false;
        }
    }
}
