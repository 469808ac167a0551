using System.Globalization;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>
/// The host-wide pieces every local cloud on the machine shares — IPv4 forwarding on the uplink (needed for the
/// droplets' replies) and the <c>unreachable</c> route of a range — counted by a registry of the local clouds using
/// them (<c>/run/cake-domarketplace/network</c>): the first one in sets them, the last one out restores what the
/// host had. A local cloud that died without leaving is dropped from the registry by the next one that looks.
/// </summary>
internal sealed class SharedHostSettings
{
    private static readonly string Registry = "/run/cake-domarketplace/network";
    private readonly string member;
    private readonly AddressRange range;
    private readonly ILogger log;

    private SharedHostSettings(string member, AddressRange range, IReadOnlyList<string> forwardingTurnedOn, ILogger log)
    {
        this.member = member;
        this.range = range;
        this.log = log;
        ForwardingTurnedOn = forwardingTurnedOn;
    }

    /// <summary>Uplinks on which the host did not forward before a local cloud switched it on.</summary>
    public IReadOnlyList<string> ForwardingTurnedOn { get; }

    public static async Task<SharedHostSettings> JoinAsync(string member, AddressRange range, IReadOnlyList<string> uplinks, ILogger log,
        CancellationToken cancellationToken)
    {
        using var held = await LockAsync(cancellationToken);
        await RemoveRoutesOfDeadMembersAsync(PruneDeadMembers(log), range.ToString(), log);
        File.WriteAllText(Path.Combine(Members, member), range.ToString());
        var turnedOn = new List<string>();
        foreach (var uplink in uplinks)
        {
            var setting = $"/proc/sys/net/ipv4/conf/{uplink}/forwarding";
            var saved = Path.Combine(Registry, $"forwarding.{uplink}");
            if (!File.Exists(saved) && File.ReadAllText(setting).Trim() == "0")
            {
                File.WriteAllText(saved, "0");
                File.WriteAllText(setting, "1");
                log.ForwardingSwitchedOn(uplink);
            }

            if (File.Exists(saved))
            {
                turnedOn.Add(uplink);
            }
        }

        await HostCommands.RunAsync(log, "ip", ["route", "replace", "unreachable", range.ToString()], cancellationToken);
        return new SharedHostSettings(member, range, turnedOn, log);
    }

    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        using var held = await LockAsync(cancellationToken);
        File.Delete(Path.Combine(Members, member));
        var members = PruneDeadMembers(log);
        await RemoveRoutesOfDeadMembersAsync(members, keep: null, log);
        if (!members.Live.Contains(range.ToString()))
        {
            await HostCommands.RunAllowingFailureAsync(log, "ip", ["route", "delete", "unreachable", range.ToString()]);
        }

        if (members.Live.Count == 0)
        {
            foreach (var saved in Directory.GetFiles(Registry, "forwarding.*"))
            {
                var uplink = Path.GetFileName(saved)["forwarding.".Length..];
                var setting = $"/proc/sys/net/ipv4/conf/{uplink}/forwarding";
                if (File.Exists(setting))
                {
                    var value = File.ReadAllText(saved).Trim();
                    File.WriteAllText(setting, value);
                    log.ForwardingRestored(uplink, value);
                }

                File.Delete(saved);
            }
        }
    }

    /// <summary>True when a process with that id runs (a member's name carries its local cloud's process id).</summary>
    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");

    private static string Members => Directory.CreateDirectory(Path.Combine(Registry, "members")).FullName;

    /// <summary>Drops members whose process is gone; returns the live members' ranges and the dead ones'.</summary>
    private static (List<string> Live, List<string> Dead) PruneDeadMembers(ILogger log)
    {
        var ranges = new List<string>();
        var dead = new List<string>();
        foreach (var file in Directory.GetFiles(Members))
        {
            var name = Path.GetFileName(file);
            var parts = name.Split('_');
            if (parts.Length == 3 && int.TryParse(parts[1], out var pid) && !IsAlive(pid))
            {
                log.DeadMemberDropped(name);
                dead.Add(File.ReadAllText(file).Trim());
                File.Delete(file);
                continue;
            }

            ranges.Add(File.ReadAllText(file).Trim());
        }

        return (ranges, dead);
    }

    /// <summary>Deletes the routes of dead members' ranges that no live member (nor <paramref name="keep"/>) uses.</summary>
    private static async Task RemoveRoutesOfDeadMembersAsync((List<string> Live, List<string> Dead) members, string? keep, ILogger log)
    {
        foreach (var range in members.Dead.Distinct().Where(r => r != keep && !members.Live.Contains(r)))
        {
            await HostCommands.RunAllowingFailureAsync(log, "ip", ["route", "delete", "unreachable", range]);
            log.StaleRouteRemoved(range);
        }
    }

    private static Task<FileStream> LockAsync(CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(Path.Combine(Registry, "lock"), TimeSpan.FromMilliseconds(20), TimeSpan.MaxValue, null, cancellationToken);
}
