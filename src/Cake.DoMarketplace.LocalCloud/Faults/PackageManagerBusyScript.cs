using System.Globalization;

namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>The vendor script of <see cref="FaultOptions.PackageManagerBusyAfterBoot"/>.</summary>
internal static class PackageManagerBusyScript
{
    /// <summary>The name of its vendor data part.</summary>
    public const string Name = "90-package-manager-busy";

    // unattended-upgrades (apt-daily-upgrade.service) holds apt's and dpkg's locks for minutes after a droplet's first
    // boot on DigitalOcean's Ubuntu images. apt takes them with fcntl (F_SETLK), as Python's fcntl.lockf does; the
    // process is named as unattended-upgrades' is in ps (its 15-character comm).
    public static string For(TimeSpan duration) =>
        $$"""
        #!/bin/sh
        # Local cloud fault PackageManagerBusyAfterBoot: apt and dpkg stay locked for {{Seconds(duration)}} s, as on a
        # DigitalOcean droplet whose unattended-upgrades runs after first boot.
        systemd-run --unit=local-cloud-package-manager-busy --collect --description="Package manager busy after first boot (local cloud fault)" \
          python3 -c '
        import fcntl, os, sys, time
        with open("/proc/self/comm", "w") as comm:
            comm.write("unattended-upgr")
        locks = ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/cache/apt/archives/lock", "/var/lib/apt/lists/lock"]
        held = [os.open(path, os.O_RDWR | os.O_CREAT, 0o640) for path in locks]
        for fd in held:
            fcntl.lockf(fd, fcntl.LOCK_EX)
        time.sleep(float(sys.argv[1]))
        ' {{Seconds(duration)}}
        """;


    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
