namespace Cake.DoMarketplace.ImageRules;

/// <summary>What to do with the droplet's free space before the snapshot.</summary>
public enum FreeSpaceHandling
{
    /// <summary>
    /// Make every free block read back as zero, so the snapshot holds nothing deleted and compresses well (the guide's
    /// step; default). The free space is claimed by files and zeroed on the disk itself, writing only what is not zero
    /// already (or letting the disk zero it); where that cannot run, zeros are written through a file as the guide does.
    /// </summary>
    ZeroFill,

    /// <summary>Discard it with <c>fstrim</c> where the disk supports it: faster than zero-filling.</summary>
    Trim,

    /// <summary>Leave it as it is.</summary>
    Skip,
}

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
