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
