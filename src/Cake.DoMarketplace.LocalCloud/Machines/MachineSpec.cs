using Cake.DoMarketplace.LocalCloud.Network;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// What a machine is booted from: the droplet's identity, disk, image, address, and the instance data its config drive
/// carries (name, region, keys, user data, vendor data).
/// </summary>
internal sealed record MachineSpec(
    long Id,
    string Name,
    string Region,
    int DiskGigabytes,
    long ImageId,
    DropletAddress Address,
    string Mac,
    IReadOnlyList<string> PublicKeys,
    string? UserData,
    string VendorData);
