using System.Collections.Concurrent;
using System.Globalization;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>A droplet's place in the range: its /30 slot, its address and its gateway (the host side of its link).</summary>
internal sealed record DropletAddress(int Slot, string Address, string Gateway);

/// <summary>
/// Hands out /30 slots of the droplet range, unique on the machine even when several local clouds run at once
/// (parallel tests, a build beside a test run): each slot is held through an exclusive lock file for as long as its
/// droplet lives, and the OS drops the lock if the process dies — the slot's stale link is then replaced on reuse.
/// </summary>
internal sealed class SlotLeases(AddressRange range, string lockDirectory)
{
    /// <summary>Where every local cloud on the machine holds its slots' leases.</summary>
    public const string MachineWide = "/run/cake-domarketplace/slots";
    private readonly ConcurrentDictionary<int, FileStream> held = new();

    public DropletAddress Acquire()
    {
        for (var slot = 0; slot < range.SlotCount; slot++)
        {
            if (held.ContainsKey(slot))
            {
                continue;
            }

            if (TryHold(lockDirectory, slot) is not { } lease)
            {
                continue; // another local cloud's droplet
            }

            if (held.TryAdd(slot, lease))
            {
                return new DropletAddress(slot, range.DropletAddress(slot), range.Gateway(slot));
            }

            lease.Dispose();
        }

        throw new InvalidOperationException($"No free address left for a droplet in {range}: choose a larger LocalCloudOptions.AddressRange.");
    }

    /// <summary>Holds slot <paramref name="slot"/>'s lease when no local cloud does; null when one does.</summary>
    public static FileStream? TryHold(int slot) => TryHold(MachineWide, slot);

    private static FileStream? TryHold(string lockDirectory, int slot)
    {
        Directory.CreateDirectory(lockDirectory);
        try
        {
            // Slot numbers name links machine-wide, whatever the range: one lock per number.
            return new FileStream(Path.Combine(lockDirectory, slot.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Release(int slot)
    {
        if (held.TryRemove(slot, out var lease))
        {
            lease.Dispose();
        }
    }

    public void ReleaseAll()
    {
        foreach (var slot in held.Keys)
        {
            Release(slot);
        }
    }
}
