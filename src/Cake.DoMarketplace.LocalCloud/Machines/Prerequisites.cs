using Cake.DoMarketplace.LocalCloud.Host;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Checks what real droplets need — Linux, root, overlayfs, unshare, chroot, debootstrap, systemd-nspawn, nftables,
/// iproute2 — installs the Debian packages with apt where it can, and otherwise stops with what is missing and how to get it.
/// </summary>
internal static class Prerequisites
{
    public static async Task EnsureAsync(ILogger log, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The local cloud runs droplets as Linux namespaces: it needs Linux (a Linux VM or WSL2 on other systems).");
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
            throw new InvalidOperationException("The local cloud cannot run droplets on this machine:\n  - " + string.Join("\n  - ", missing));
        }

        // Debian packages: the base image builder, the machine runner, the droplets' network and firewall.
        var packages = new (string Tool, string Package)[] { ("debootstrap", "debootstrap"), ("systemd-nspawn", "systemd-container"), ("nft", "nftables"), ("ip", "iproute2") }
            .Where(p => Which(p.Tool) is null)
            .Select(p => p.Package)
            .ToList();
        if (packages.Count > 0)
        {
            if (Which("apt-get") is null)
            {
                throw new InvalidOperationException($"The local cloud needs {string.Join(", ", packages)} (debootstrap builds its Debian images, systemd-nspawn boots droplets, nftables and iproute2 give them their network), and apt-get is not available to install them. Install them and run again.");
            }

            log.InstallingPrerequisites(packages);
            await HostCommands.RunAsync(log, "apt-get", ["update", "-qq"], cancellationToken);
            await HostCommands.RunAsync(log, "apt-get", ["install", "-y", "-qq", .. packages], cancellationToken, new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            log.InstalledPrerequisites(packages);
        }
    }

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
