using Cake.DoMarketplace.LocalCloud.Network;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>What a machine is booted from: the droplet's identity, disk, image, address and first-boot metadata.</summary>
internal sealed record MachineSpec(
    long Id,
    string Name,
    int DiskGigabytes,
    long ImageId,
    DropletAddress Address,
    IReadOnlyList<string> PublicKeys,
    string? UserData);
