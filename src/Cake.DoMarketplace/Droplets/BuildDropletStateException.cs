namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// The droplet cannot be used for what was asked: it has been destroyed already, or it was attached by address
/// (<c>DoAttachBuildDroplet</c>) and the step needs the droplet the build created through the API.
/// </summary>
/// <param name="dropletId">The droplet id (0 for a machine attached by address only).</param>
/// <param name="message">What cannot be done and why.</param>
public sealed class BuildDropletStateException(long dropletId, string message)
    : DoMarketplaceException(message)
{
    /// <summary>The droplet id (0 for a machine attached by address only).</summary>
    public long DropletId { get; } = dropletId;
}
