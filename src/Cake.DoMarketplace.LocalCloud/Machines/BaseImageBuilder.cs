using System.Diagnostics;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Builds a Debian base filesystem once, like DigitalOcean's image of that release: debootstrap (minbase) from the
/// mirror apt uses with systemd as init, dbus and openssh-server, then cloud-init and the everyday tools of
/// DigitalOcean's images inside a chroot; caches it, and later starts reuse it. A cached image made by another recipe
/// (an older version of this code) is built again.
/// </summary>
internal sealed class BaseImageBuilder(string cacheDirectory, BaseImage image, ILogger log)
{
    private static readonly string[] Bootstrap = ["systemd-sysv", "dbus", "openssh-server", "ca-certificates", "procps", "iproute2", "netbase", "less"];

    private static readonly string[] Tools =
        ["cloud-init", "curl", "wget", "gnupg", "sudo", "cron", "logrotate", "iputils-ping", "vim-tiny", "nano", "bash-completion", "lsb-release", "apt-utils",
            "man-db", "dmidecode"];

    /// <summary>Changes whenever what goes into the image changes, so a stale cache is rebuilt.</summary>
    private static readonly string Recipe = "systemd-2:" + string.Join(',', Bootstrap) + ";" + string.Join(',', Tools);

    public string RootFs => Path.Combine(cacheDirectory, image.Slug, "rootfs");

    private string Marker => Path.Combine(cacheDirectory, image.Slug, "complete");

    public bool IsBuilt => File.Exists(Marker) && Directory.Exists(RootFs) && File.ReadAllLines(Marker).Contains(Recipe);

    /// <summary>Builds (or finds) every base image, in parallel; returns each with the time it was built.</summary>
    public static async Task<IReadOnlyList<(BaseImage Image, DateTime BuiltAt)>> EnsureAllAsync(string cacheDirectory, ILogger log,
        CancellationToken cancellationToken)
    {
        var builders = BaseImage.All.Select(i => (Image: i, Builder: new BaseImageBuilder(cacheDirectory, i, log))).ToList();
        await Task.WhenAll(builders.Select(b => b.Builder.EnsureAsync(cancellationToken)));
        return builders.Select(b => (b.Image, File.GetLastWriteTimeUtc(b.Builder.RootFs))).ToList();
    }

    /// <summary>Builds the image unless cached. The caller has run <see cref="Prerequisites.EnsureAsync"/>.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        // Several local clouds (parallel tests, a build and a test run) share one cache: one builds, the others wait.
        Directory.CreateDirectory(cacheDirectory);
        using var buildLock = await AcquireLockAsync(cancellationToken);
        if (IsBuilt)
        {
            log.BaseImageCached(image.Slug, RootFs);
            return;
        }

        var clock = Stopwatch.StartNew();
        var staging = Path.Combine(cacheDirectory, image.Slug + ".building");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var (mirror, sources, _) = AptMirror.Read(image.Suite);
        log.BuildingBaseImage(image.Slug, image.Version, mirror);
        var packages = 0;
        await HostCommands.RunAsync(
            log,
            "debootstrap",
            ["--variant=minbase", $"--include={string.Join(',', Bootstrap)}", image.Suite, staging, mirror],
            cancellationToken,
            onLine: line =>
            {
                if (line.StartsWith("I: Retrieving", StringComparison.Ordinal) || line.StartsWith("I: Unpacking", StringComparison.Ordinal)
                    || line.StartsWith("I: Configuring", StringComparison.Ordinal))
                {
                    if (++packages % 50 == 0)
                    {
                        log.DebootstrapProgress(image.Slug, packages, clock.Elapsed.TotalSeconds, line);
                    }
                }
                else if (line.StartsWith("I: Base system installed", StringComparison.Ordinal))
                {
                    log.DebootstrapLine(image.Slug, line);
                }
            });

        log.InstallingTools(image.Slug, clock.Elapsed.TotalSeconds);
        File.Copy("/etc/resolv.conf", Path.Combine(staging, "etc", "resolv.conf"), overwrite: true);
        File.WriteAllText(Path.Combine(staging, "etc", "apt", "sources.list"), sources);
        await InChrootAsync(
            staging,
            "apt-get update -qq && apt-get -y -qq -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confold dist-upgrade >/dev/null " +
            $"&& apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends {string.Join(' ', Tools)} >/dev/null && apt-get clean && rm -rf "
                + "/var/lib/apt/lists/*",
            cancellationToken);
        Neutralise(staging);

        if (Directory.Exists(RootFs))
        {
            Directory.Delete(RootFs, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(RootFs)!);
        Directory.Move(staging, RootFs);
        await File.WriteAllTextAsync(Marker, DateTimeOffset.UtcNow.ToString("O") + "\n" + Recipe + "\n", cancellationToken);
        log.BaseImageBuilt(image.Slug, clock.Elapsed.TotalSeconds);
    }

    private Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken) =>
        FileLock.AcquireAsync(
            Path.Combine(cacheDirectory, $"build-{image.Slug}.lock"),
            TimeSpan.FromMilliseconds(500),
            TimeSpan.FromMinutes(15),
            waited =>
            {
                if (waited.TotalSeconds % 30 < 0.5)
                {
                    log.WaitingForBaseImageBuild(image.Slug, waited.TotalSeconds);
                }
            },
            cancellationToken);

    private async Task InChrootAsync(string root, string command, CancellationToken cancellationToken)
    {
        // A private mount namespace: /proc for the chroot disappears with the command, nothing leaks onto the host.
        await HostCommands.RunAsync(
            log,
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c",
                "mount -t proc proc \"$ROOT/proc\" && mount -t devpts -o newinstance devpts \"$ROOT/dev/pts\" && chroot \"$ROOT\" /usr/bin/env -i "
                + "PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive /bin/sh -c \"$COMMAND\""],
            cancellationToken,
            new Dictionary<string, string> { ["ROOT"] = root, ["COMMAND"] = command, ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });
    }

    /// <summary>Per-machine state the build leaves behind: host keys, machine ids, hostname, resolver.</summary>
    private static void Neutralise(string root)
    {
        foreach (var key in Directory.GetFiles(Path.Combine(root, "etc", "ssh"), "ssh_host_*"))
        {
            File.Delete(key);
        }

        // Empty, so systemd gives every droplet its own id at first boot; dbus's copy would otherwise be shared.
        File.WriteAllText(Path.Combine(root, "etc", "machine-id"), string.Empty);
        File.Delete(Path.Combine(root, "var", "lib", "dbus", "machine-id"));
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "localhost\n");
        File.WriteAllText(Path.Combine(root, "etc", "resolv.conf"), string.Empty);
        foreach (var log in Directory.GetFiles(Path.Combine(root, "var", "log"), "*", SearchOption.AllDirectories))
        {
            File.WriteAllText(log, string.Empty);
        }
    }
}
