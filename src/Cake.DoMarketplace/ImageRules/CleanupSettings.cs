namespace Cake.DoMarketplace.ImageRules;

/// <summary>Settings of <c>DoCleanupImage</c>.</summary>
public sealed class CleanupSettings
{
    /// <summary>Update all packages and clean the package cache first (default).</summary>
    public bool UpdatePackages { get; set; } = true;

    /// <summary>How free space is treated; zero-filled by default.</summary>
    public FreeSpaceHandling FreeSpace { get; set; } = FreeSpaceHandling.ZeroFill;

    /// <summary>Absolute paths the cleanup must not remove or truncate (a folder keeps everything under it).</summary>
    public IList<string> KeepPaths { get; } = new List<string>();

    /// <summary>How the zero fill works; the fastest way by default, the other two for tests that prove each path.</summary>
    internal ZeroFillMethod ZeroFillMethod { get; set; } = ZeroFillMethod.Fastest;

    /// <summary>Upper bound of the whole cleanup.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long the cleanup's package commands (updates, cache cleaning, the droplet agent's removal) wait, in all, while
    /// another process holds the package manager's locks, before the cleanup fails naming that process; 10 minutes by default.
    /// </summary>
    public TimeSpan PackageLockTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
