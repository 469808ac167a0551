using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Builds the <c>debian-12-x64</c> base filesystem once with debootstrap (minbase, openssh-server) from the mirror apt
/// uses, adds cloud-init inside a chroot, and caches it; later starts reuse it.
/// </summary>
internal sealed class BaseImageBuilder(string cacheDirectory, ILogger log)
{
    public const string Slug = "debian-12-x64";
    private const string Suite = "bookworm";
    private static readonly string[] Packages = ["openssh-server", "ca-certificates", "procps", "iproute2", "netbase", "less"];

    public string RootFs => Path.Combine(cacheDirectory, Slug, "rootfs");

    private string Marker => Path.Combine(cacheDirectory, Slug, "complete");

    public bool IsBuilt => File.Exists(Marker) && Directory.Exists(RootFs);

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (IsBuilt)
        {
            // The cloud-init configuration is ours, not debootstrap's: refresh it so a cached image follows this code.
            Configure(RootFs);
            log.LogInformation("Base image {Slug} cached at {Path}", Slug, RootFs);
            return;
        }

        await Prerequisites.EnsureAsync(log, cancellationToken);
        var clock = Stopwatch.StartNew();
        var staging = Path.Combine(cacheDirectory, Slug + ".building");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var mirror = AptMirror.Find();
        log.LogInformation("Building base image {Slug} with debootstrap from {Mirror} (once; about 2 minutes)", Slug, mirror);
        var packages = 0;
        await HostCommands.RunAsync(
            log,
            "debootstrap",
            ["--variant=minbase", $"--include={string.Join(',', Packages)}", Suite, staging, mirror],
            cancellationToken,
            onLine: line =>
            {
                if (line.StartsWith("I: Retrieving", StringComparison.Ordinal) || line.StartsWith("I: Unpacking", StringComparison.Ordinal) || line.StartsWith("I: Configuring", StringComparison.Ordinal))
                {
                    if (++packages % 25 == 0)
                    {
                        log.LogInformation("  debootstrap: {Count} steps, {Elapsed:0}s: {Line}", packages, clock.Elapsed.TotalSeconds, line);
                    }
                }
                else if (line.StartsWith("I: ", StringComparison.Ordinal) && !line.StartsWith("I: Validating", StringComparison.Ordinal) && !line.StartsWith("I: Extracting", StringComparison.Ordinal))
                {
                    log.LogInformation("  debootstrap: {Line}", line);
                }
            });

        log.LogInformation("Installing cloud-init into the base image ({Elapsed:0}s so far)", clock.Elapsed.TotalSeconds);
        File.Copy("/etc/resolv.conf", Path.Combine(staging, "etc", "resolv.conf"), overwrite: true);
        await InChrootAsync(staging, "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cloud-init && apt-get clean && rm -rf /var/lib/apt/lists/*", cancellationToken);
        Configure(staging);

        if (Directory.Exists(Path.GetDirectoryName(RootFs)!) && Directory.Exists(RootFs))
        {
            Directory.Delete(RootFs, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(RootFs)!);
        Directory.Move(staging, RootFs);
        await File.WriteAllTextAsync(Marker, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
        log.LogInformation("Base image {Slug} built in {Elapsed:0}s", Slug, clock.Elapsed.TotalSeconds);
    }

    private async Task InChrootAsync(string root, string command, CancellationToken cancellationToken)
    {
        // A private mount namespace: /proc for the chroot disappears with the command, nothing leaks onto the host.
        await HostCommands.RunAsync(
            log,
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c", "mount -t proc proc \"$ROOT/proc\" && chroot \"$ROOT\" /bin/sh -c \"$COMMAND\""],
            cancellationToken,
            new Dictionary<string, string> { ["ROOT"] = root, ["COMMAND"] = command, ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });
    }

    private static void Configure(string root)
    {
        File.WriteAllText(Path.Combine(root, "etc", "cloud", "cloud.cfg.d", "90-local-cloud.cfg"), HostCommands.Script("90-local-cloud.cfg"));
        if (File.Exists(Path.Combine(root, "etc", "machine-id")) && new FileInfo(Path.Combine(root, "etc", "machine-id")).Length == 0
            && !Directory.EnumerateFiles(Path.Combine(root, "etc", "ssh"), "ssh_host_*").Any())
        {
            return;
        }

        // Host keys and the machine id are made per droplet on first boot, as on a cloud image.
        foreach (var key in Directory.GetFiles(Path.Combine(root, "etc", "ssh"), "ssh_host_*"))
        {
            File.Delete(key);
        }

        File.WriteAllText(Path.Combine(root, "etc", "machine-id"), string.Empty);
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "localhost\n");
        File.WriteAllText(Path.Combine(root, "etc", "resolv.conf"), string.Empty);
    }
}
