using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;

namespace Cake.DoMarketplace.Droplets;

/// <summary>Destroys a build droplet and its temporary key, closing the session first.</summary>
internal sealed class BuildDropletDestroyer(ICakeLog log)
{
    public async Task DestroyAsync(BuildDroplet droplet, CancellationToken cancellationToken)
    {
        droplet.Session.Dispose();
        if (droplet.Destroyed)
        {
            return;
        }

        var api = droplet.Api
            ?? throw new BuildDropletStateException(droplet.Id, $"{droplet} was attached by address, not created by this build; delete it where it was made.");
        var cleaner = new BuildResourceCleaner(api, log);
        var guard = new CleanupGuard(log); // the key goes whatever the droplet's delete threw
        await guard.RunAsync($"delete droplet {droplet.Id}", () => cleaner.DeleteDropletAsync(droplet.Id, cancellationToken)).ConfigureAwait(false);
        if (droplet.TemporaryKeyId is { } key)
        {
            await guard.RunAsync($"delete temporary SSH key {key}", () => cleaner.DeleteKeyAsync(key, cancellationToken)).ConfigureAwait(false);
        }

        if (guard.Failed.Count > 0)
        {
            throw new CleanupIncompleteException(droplet.ToString(),
                $"Could not remove everything of {droplet}; see the errors above for what is left and how to delete it.");
        }

        droplet.Destroyed = true;
        droplet.Lease?.Dispose();
    }

    public static async Task DestroyByIdAsync(IDoApiClient api, long dropletId, ICakeLog log, CancellationToken cancellationToken)
    {
        if (!await new BuildResourceCleaner(api, log).DeleteDropletAsync(dropletId, cancellationToken).ConfigureAwait(false))
        {
            throw new CleanupIncompleteException($"droplet {dropletId}", $"Could not delete droplet {dropletId}; see the errors above.");
        }
    }
}
