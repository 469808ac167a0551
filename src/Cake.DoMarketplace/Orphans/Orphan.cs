namespace Cake.DoMarketplace.Orphans;

/// <summary>A cloud resource left by a build that is no longer running.</summary>
/// <param name="Kind">Droplet, key or snapshot.</param>
/// <param name="Id">Its id in the API.</param>
/// <param name="Name">Its name.</param>
/// <param name="BuildId">The build that made it (the 8 hex digits of its tag).</param>
/// <param name="CreatedAt">When it was made (for a key: when its build started).</param>
/// <param name="Deleted">Whether this run deleted it (false for a dry run or a failed delete).</param>
public sealed record Orphan(OrphanKind Kind, long Id, string Name, string BuildId, DateTimeOffset CreatedAt, bool Deleted);
