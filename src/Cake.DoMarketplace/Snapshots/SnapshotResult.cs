namespace Cake.DoMarketplace.Snapshots;

/// <summary>The image a snapshot produced: submit <see cref="ImageId"/> to the Marketplace.</summary>
/// <param name="ImageId">The snapshot's image id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Regions">The regions it is in, transfers included.</param>
/// <param name="DropletId">The droplet it was taken from.</param>
/// <param name="Duration">Shutdown to the end of the transfers.</param>
public sealed record SnapshotResult(long ImageId, string Name, IReadOnlyList<string> Regions, long DropletId, TimeSpan Duration)
{
    /// <inheritdoc />
    public override string ToString() => $"image {ImageId} '{Name}' in {string.Join(", ", Regions)}";
}
