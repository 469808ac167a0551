namespace Cake.DoMarketplace.Orphans;

/// <summary>What kind of cloud resource an orphan is.</summary>
public enum OrphanKind
{
    /// <summary>A build or test droplet.</summary>
    Droplet,

    /// <summary>A temporary SSH key registered for a build.</summary>
    SshKey,

    /// <summary>A snapshot of a <c>DoBuildImage</c> run that did not finish.</summary>
    Snapshot,
}

/// <summary>A cloud resource left by a build that is no longer running.</summary>
/// <param name="Kind">Droplet, key or snapshot.</param>
/// <param name="Id">Its id in the API.</param>
/// <param name="Name">Its name.</param>
/// <param name="BuildId">The build that made it (the 8 hex digits of its tag).</param>
/// <param name="CreatedAt">When it was made (for a key: when its build started).</param>
/// <param name="Deleted">Whether this run deleted it (false for a dry run or a failed delete).</param>
public sealed record Orphan(OrphanKind Kind, long Id, string Name, string BuildId, DateTimeOffset CreatedAt, bool Deleted);
