namespace Cake.DoMarketplace.ImageRules;

/// <summary>How <see cref="FreeSpaceHandling.ZeroFill"/> reaches its promise, every free block reading back as zero.</summary>
internal enum ZeroFillMethod
{
    /// <summary>On the disk (erase-free-space.py): zeroed by the disk where it can, else read and only non-zero parts written.</summary>
    Fastest,

    /// <summary>On the disk, always reading first and writing only what is not zero (the path for disks that cannot zero).</summary>
    ReadFirst,

    /// <summary>Zeros written through a file until the disk is full (the guide's dd; the fallback of the others).</summary>
    ThroughFile,
}
