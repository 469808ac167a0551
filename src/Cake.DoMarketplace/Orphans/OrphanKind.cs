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
