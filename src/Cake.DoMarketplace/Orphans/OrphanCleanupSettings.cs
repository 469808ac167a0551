using Cake.DoMarketplace.Api;

namespace Cake.DoMarketplace.Orphans;

/// <summary>Settings of <c>DoCleanupOrphans</c>.</summary>
public sealed class OrphanCleanupSettings : DoApiSettings
{
    /// <summary>
    /// Only builds whose newest resource is at least this old are orphans (default 2 hours: longer than a build takes,
    /// so a build running on another machine is left alone). A build still running on this machine is never an orphan,
    /// whatever its age.
    /// </summary>
    public TimeSpan OlderThan { get; set; } = TimeSpan.FromHours(2);

    /// <summary>List what would be deleted, delete nothing.</summary>
    public bool DryRun { get; set; }
}
