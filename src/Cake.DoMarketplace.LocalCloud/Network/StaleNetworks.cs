using System.Diagnostics;
using System.Globalization;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>
/// Start-up recovery of the network: a local cloud killed with SIGKILL leaves its droplets' namespaces and links (and
/// whatever still runs in them). A slot whose lease no live local cloud holds is stale: what runs in its namespace is
/// stopped, its link and namespace deleted. Tables of dead local clouds are <see cref="DropletNetwork"/>'s to remove.
/// </summary>
internal static class StaleNetworks
{
    private const string NamespaceFolder = "/run/netns";

    public static async Task RemoveAsync(ILogger log, CancellationToken cancellationToken)
    {
        foreach (var slot in CandidateSlots())
        {
            using var lease = SlotLeases.TryHold(slot);
            if (lease is null)
            {
                continue; // a live local cloud's droplet
            }

            var (link, ns) = DropletNetwork.Names(slot);
            var stopped = File.Exists(DropletNetwork.NamespacePath(slot)) ? await StopProcessesInAsync(ns, log, cancellationToken) : 0;
            await DropletNetwork.RemoveLinkAsync(slot, log);
            log.StaleSlotRemoved(slot, link, ns, stopped);
        }
    }

    /// <summary>Slots that have a namespace, or a link named after them, on this machine.</summary>
    private static SortedSet<int> CandidateSlots()
    {
        var prefix = HostNetworkSurvey.LinkPrefix;
        var slots = new SortedSet<int>();
        if (Directory.Exists(NamespaceFolder))
        {
            foreach (var name in Directory.GetFiles(NamespaceFolder, prefix + "-*").Select(Path.GetFileName))
            {
                if (int.TryParse(name![(prefix.Length + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
                {
                    slots.Add(slot);
                }
            }
        }

        foreach (var name in Directory.GetDirectories("/sys/class/net", prefix + "*").Select(Path.GetFileName))
        {
            if (int.TryParse(name![prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
            {
                slots.Add(slot);
            }
        }

        return slots;
    }

    /// <summary>Kills what runs in the namespace: a dead local cloud's machines (systemd-nspawn exits with its container).</summary>
    private static async Task<int> StopProcessesInAsync(string ns, ILogger log, CancellationToken cancellationToken)
    {
        string pids;
        try
        {
            pids = await HostCommands.RunAsync(log, "ip", ["netns", "pids", ns], cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return 0; // a namespace file that no longer holds a namespace
        }

        var stopped = 0;
        foreach (var line in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(line, CultureInfo.InvariantCulture));
                process.Kill();
                await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                stopped++;
            }
            catch (Exception e) when (
                e is ArgumentException or InvalidOperationException or FormatException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                // Ended on its own meanwhile.
            }
        }

        return stopped;
    }
}
