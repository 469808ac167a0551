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
    private static readonly TimeSpan PendingEventPatience = TimeSpan.FromMinutes(3);

    /// <summary>Deletes a droplet; true when it is gone (or was already).</summary>
    public async Task<bool> DeleteDropletAsync(long dropletId, CancellationToken cancellationToken)
    {
        var ok = await TryAsync($"droplet {dropletId}", t => api.DeleteDropletAsync(dropletId, t), cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            log.Fail($"Droplet {dropletId} may still exist and be billed. Delete it with: doctl compute droplet delete {dropletId} (or DELETE /v2/droplets/{dropletId}).");
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

    /// <summary>After a failure: removes the droplet, then the key, never throwing over the original error.</summary>
    public async Task RemoveAfterFailureAsync(long? dropletId, long? keyId)
    {
        // Cleanup must run even when the build was cancelled, so it does not take the build's token.
        if (dropletId is { } droplet)
        {
            await DeleteDropletAsync(droplet, CancellationToken.None).ConfigureAwait(false);
        }

        if (keyId is { } key)
        {
            await DeleteKeyAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryAsync(string what, Func<CancellationToken, Task<bool>> delete, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var delay = PollSchedule.PendingEvent.First;
        while (true)
        {
            try
            {
                var existed = await delete(cancellationToken).ConfigureAwait(false);
                log.Info(existed ? $"Deleted {what}" : $"{char.ToUpperInvariant(what[0])}{what[1..]} was already gone");
                return true;
            }
            catch (DoApiException e) when (e.IsPendingEvent && DateTime.UtcNow - started < PendingEventPatience)
            {
                log.Detail($"Cannot delete {what} yet ({e.ApiMessage}); retrying in {delay.TotalSeconds:0}s");
            }
            catch (Exception e) when (e is DoApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                log.Fail($"Could not delete {what}: {SecretRedactor.Redact(e.Message)}");
                return false;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = PollSchedule.PendingEvent.Next(delay, stateChanged: false);
        }
    }
}
