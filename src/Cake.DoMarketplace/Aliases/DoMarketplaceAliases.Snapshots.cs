using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Snapshots;

namespace Cake.DoMarketplace;

/// <summary>Snapshots.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Powers the build droplet off (graceful shutdown, then power-off if it times out), snapshots it, waits for the
    /// action (an errored action fails at once) and for the image to be listed, then optionally transfers it to more
    /// regions in parallel and destroys the droplet. Returns the image id to submit to the Marketplace.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet, cleaned and validated.</param>
    /// <returns>The new image.</returns>
    /// <example>
    /// <code>
    /// var image = DoSnapshot(droplet);
    /// Information("Image id for the Marketplace: {0}", image.ImageId);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='snapshot' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Snapshots)]
    [CakeNamespaceImport("Cake.DoMarketplace.Snapshots")]
    public static SnapshotResult DoSnapshot(this ICakeContext context, BuildDroplet droplet) =>
        context.DoSnapshot(droplet, new SnapshotSettings());

    /// <summary>Snapshots the build droplet; see <see cref="DoSnapshot(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="settings">Name, transfers, tags, timeouts, whether to destroy the droplet.</param>
    /// <returns>The new image.</returns>
    /// <example>
    /// <code>
    /// var settings = new SnapshotSettings { Name = "myapp-1.4.2", DestroyDroplet = true };
    /// settings.TransferRegions.Add("fra1");
    /// var image = DoSnapshot(droplet, settings);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='snapshot' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Snapshots)]
    [CakeNamespaceImport("Cake.DoMarketplace.Snapshots")]
    public static SnapshotResult DoSnapshot(this ICakeContext context, BuildDroplet droplet, SnapshotSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        SnapshotMaker.CheckLocally(settings);
        var live = Live(droplet);
        var api = live.Api
            ?? throw new BuildDropletStateException(live.Id,
            $"{live} was attached by address; only a droplet created by DoCreateBuildDroplet can be snapshotted.");
        var maker = new SnapshotMaker(api, Log(context));
        return BuildCancellation.Run(t => maker.SnapshotAsync(live, settings, t));
    }

    /// <summary>Snapshots the build droplet; see <see cref="DoSnapshot(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="configure">Sets name, transfers, tags, timeouts, whether to destroy the droplet.</param>
    /// <returns>The new image.</returns>
    /// <example>
    /// <code>
    /// var image = DoSnapshot(droplet, s => { s.Name = "myapp-1.4.2"; s.DestroyDroplet = true; });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='snapshot' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Snapshots)]
    [CakeNamespaceImport("Cake.DoMarketplace.Snapshots")]
    public static SnapshotResult DoSnapshot(this ICakeContext context, BuildDroplet droplet, Action<SnapshotSettings> configure) =>
        context.DoSnapshot(droplet, Configure(configure));

    /// <summary>Deletes a snapshot image by id; an image that is already gone is fine.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The image id.</param>
    /// <param name="settings">How to reach the API; the token comes from the environment when not set.</param>
    /// <example>
    /// <code>
    /// DoDeleteSnapshot(oldImageId, new DoApiSettings());
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='cleanup' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Snapshots)]
    [CakeNamespaceImport("Cake.DoMarketplace.Api")]
    public static void DoDeleteSnapshot(this ICakeContext context, long imageId, DoApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var api = CreateApiClient(context, settings, $"{nameof(DoApiSettings)}.{nameof(settings.Token)}");
        var log = Log(context);
        var gone = BuildCancellation.Run(t => new BuildResourceCleaner(api, log).DeleteSnapshotAsync(imageId, t));
        if (!gone)
        {
            throw new CleanupIncompleteException($"snapshot {imageId}", $"Could not delete snapshot {imageId}; see the errors above.");
        }
    }

    /// <summary>Deletes a snapshot image by id; see <see cref="DoDeleteSnapshot(ICakeContext, long, DoApiSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The image id.</param>
    /// <param name="configure">Sets how to reach the API; the token comes from the environment when not set.</param>
    /// <example>
    /// <code>
    /// DoDeleteSnapshot(oldImageId, s => s.ApiUrl = "http://127.0.0.1:7117");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='cleanup' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Snapshots)]
    [CakeNamespaceImport("Cake.DoMarketplace.Api")]
    public static void DoDeleteSnapshot(this ICakeContext context, long imageId, Action<DoApiSettings> configure) =>
        context.DoDeleteSnapshot(imageId, Configure(configure));
}
