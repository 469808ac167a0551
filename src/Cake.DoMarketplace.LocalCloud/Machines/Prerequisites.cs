using System.Diagnostics;
using System.Text.RegularExpressions;
using Cake.DoMarketplace.LocalCloud.Host;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Checks what real droplets need — Linux, root, overlayfs, unshare, chroot, debootstrap, systemd-nspawn, nftables,
/// iproute2 — installs the Debian packages with apt where it can, and otherwise stops with what is missing and how to get it
/// (<see cref="UnmetException"/>, which the command prints as it is, without a stack trace). While another process holds
/// apt's locks (unattended-upgrades, another apt-get), apt-get is started again until they are free, saying which process
/// holds them, for at most <see cref="AptLockTimeout"/>.
/// </summary>
internal static partial class Prerequisites
{
    /// <summary>How long the install waits, in all, while another process holds apt's locks.</summary>
    public static readonly TimeSpan AptLockTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    public static async Task EnsureAsync(ILogger log, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            throw new UnmetException("The local cloud runs droplets as Linux namespaces: it needs Linux (a Linux VM or WSL2 on other systems).");
        }

        if (Environment.UserName != "root")
        {
            missing.Add("root: namespaces, overlay mounts and chroot need root. Run the build as root (sudo -E dotnet cake …) or in a root container");
        }

        if (!File.ReadAllText("/proc/filesystems").Contains("overlay", StringComparison.Ordinal)
            && !await TryAsync(log, "modprobe", ["overlay"], cancellationToken))
        {
            missing.Add("overlayfs: load it with 'modprobe overlay' (kernel module overlay)");
        }

        foreach (var tool in new[] { "unshare", "chroot", "mount", "nsenter" })
        {
            if (Which(tool) is null)
            {
                missing.Add($"{tool}: install util-linux/coreutils");
            }
        }

        if (missing.Count > 0)
        {
            throw new UnmetException("The local cloud cannot run droplets on this machine:\n  - " + string.Join("\n  - ", missing));
        }

        // Debian packages: the base image builder, the machine runner, the droplets' network and firewall, their config
        // drives and the stand-in agent packages they install.
        var packages = new (string Tool, string Package)[]
            {
                ("debootstrap", "debootstrap"), ("systemd-nspawn", "systemd-container"), ("nft", "nftables"), ("ip", "iproute2"),
                ("mke2fs", "e2fsprogs"), ("dpkg-deb", "dpkg"),
            }
            .Where(p => Which(p.Tool) is null)
            .Select(p => p.Package)
            .ToList();
        if (packages.Count > 0)
        {
            if (Which("apt-get") is null)
            {
                throw new UnmetException(
                    $"The local cloud needs {string.Join(", ", packages)} (debootstrap builds its Debian images, systemd-nspawn boots droplets, nftables and "
                    + "iproute2 give them their network, e2fsprogs makes their config drives, dpkg-deb their agent packages), and apt-get is not available "
                    + "to install them. Install them and run again.");
            }

            log.InstallingPrerequisites(packages);
            var clock = Stopwatch.StartNew();
            await AptGetAsync(log, ["update", "-qq"], clock, AptLockTimeout, cancellationToken);
            await AptGetAsync(log, ["install", "-y", "-qq", .. packages], clock, AptLockTimeout, cancellationToken);
            log.InstalledPrerequisites(packages);
        }
    }

    /// <summary>
    /// Runs apt-get. When it fails because another process holds apt's locks, says which process (as apt names it) at once,
    /// when it changes and every 10 s, and runs it again after a short pause growing to 5 s, until the locks have been
    /// awaited <paramref name="limit"/> in all (counted on <paramref name="clock"/>); then an <see cref="UnmetException"/>.
    /// Any other failure is an <see cref="UnmetException"/> with apt-get's last lines.
    /// </summary>
    internal static async Task AptGetAsync(ILogger log, string[] arguments, Stopwatch clock, TimeSpan limit, CancellationToken cancellationToken,
        string file = "apt-get")
    {
        var delay = TimeSpan.FromMilliseconds(500);
        var waited = Stopwatch.StartNew();
        string? reported = null;
        var lastReport = TimeSpan.Zero;
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        while (true)
        {
            try
            {
                // Not logged as it runs: a failure for a busy apt is an answer here, not an error.
                await HostCommands.RunAsync(NullLogger.Instance, file, arguments, cancellationToken, environment);
                if (reported is not null)
                {
                    var seconds = Seconds(waited.Elapsed);
                    log.AptFree(file, arguments[0], seconds);
                }

                return;
            }
            catch (InvalidOperationException e) when (AptLockHolder(e.Message) is { } holder)
            {
                if (clock.Elapsed >= limit)
                {
                    throw new UnmetException(
                        $"{file} {arguments[0]} could not start: another process kept apt's locks for {Seconds(limit)} s ({holder}). " +
                        "Let it finish, or stop it (on Ubuntu: unattended-upgrades), and run again.");
                }

                if (holder != reported || waited.Elapsed - lastReport >= ProgressEvery)
                {
                    var (seconds, limitSeconds) = (Seconds(waited.Elapsed), Seconds(limit));
                    log.AptBusy(file, arguments[0], holder, seconds, limitSeconds);
                    reported = holder;
                    lastReport = waited.Elapsed;
                }

                var remaining = limit - clock.Elapsed;
                await Task.Delay(delay < remaining ? delay : remaining, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, (long)(delay.Ticks * 1.5)));
            }
            catch (InvalidOperationException e)
            {
                throw new UnmetException($"The local cloud could not install what it needs: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Who holds apt's locks, from a failed apt-get's output: <c>E: Could not get lock /var/lib/dpkg/lock-frontend. It is
    /// held by process 1234 (unattended-upgr)</c> → <c>process 1234 (unattended-upgr) holds /var/lib/dpkg/lock-frontend</c>;
    /// <c>another process holds …</c> when apt does not say which; null when apt-get failed for another reason.
    /// </summary>
    internal static string? AptLockHolder(string output)
    {
        var match = AptLockFailure().Match(output);
        if (!match.Success)
        {
            return null;
        }

        var who = match.Groups["pid"].Success ? $"process {match.Groups["pid"].Value} ({match.Groups["name"].Value})" : "another process";
        return match.Groups["path"].Success ? $"{who} holds {match.Groups["path"].Value}" : $"{who} holds apt's lock";
    }

    // apt's "E: Could not get lock PATH. It is held by process N (NAME)" (apt ≥ 1.9; older: "E: Could not get lock PATH - open
    // (11: …)"), "E: Unable to lock …", "E: Unable to acquire the dpkg frontend lock (PATH) …"; dpkg's "… locked by another process".
    [GeneratedRegex(
        @"^(E: Could not get lock (?<path>/[^\s]+?)\.?(\s+It is held by process (?<pid>\d+) \((?<name>[^)]*)\))?(\s|$)|"
        + @"E: Unable to lock |E: Unable to acquire the dpkg frontend lock \((?<path>/[^)]+)\)|"
        + @"dpkg: error: .*locked by another process)", RegexOptions.Multiline)]
    private static partial Regex AptLockFailure();

    private static long Seconds(TimeSpan span) => (long)Math.Round(span.TotalSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{File} {Command}: apt is busy, {Holder}; waiting for it ({Waited} s so far, at most {Limit} s)")]
    private static partial void AptBusy(this ILogger logger, string file, string command, string holder, long waited, long limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{File} {Command}: apt's locks were free after {Waited} s")]
    private static partial void AptFree(this ILogger logger, string file, string command, long waited);

    /// <summary>What this machine lacks for the local cloud, and how to get it; the command prints the message alone.</summary>
    /// <param name="message">What is missing and how to get it.</param>
    internal sealed class UnmetException(string message) : Exception(message);

    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':')
            .Append("/usr/sbin").Append("/sbin")
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);

    private static async Task<bool> TryAsync(ILogger log, string file, string[] args, CancellationToken cancellationToken)
    {
        try
        {
            await HostCommands.RunAsync(log, file, args, cancellationToken);
            return File.ReadAllText("/proc/filesystems").Contains("overlay", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
