using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Checks what real droplets need — Linux, root, overlayfs, unshare, chroot, debootstrap — installs debootstrap with
/// apt where it can, and otherwise stops with what is missing and how to get it.
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

        foreach (var tool in new[] { "unshare", "chroot", "mount" })
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

        if (Which("debootstrap") is null)
        {
            if (Which("apt-get") is null)
            {
                throw new InvalidOperationException("The local cloud needs debootstrap to build its Debian base image, and apt-get is not available to install it. Install debootstrap and run again.");
            }

            log.LogInformation("debootstrap is missing: installing it with apt-get (as root)");
            await HostCommands.RunAsync(log, "apt-get", ["update", "-qq"], cancellationToken);
            await HostCommands.RunAsync(log, "apt-get", ["install", "-y", "-qq", "debootstrap"], cancellationToken, new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
            log.LogInformation("debootstrap installed");
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
