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

    /// <summary>Builds the image unless cached. The caller has run <see cref="Prerequisites.EnsureAsync"/>.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        // Several local clouds (parallel tests, a build and a test run) share one cache: one builds, the others wait.
        Directory.CreateDirectory(cacheDirectory);
        using var buildLock = await AcquireLockAsync(cancellationToken);
        if (IsBuilt)
        {
            // The cloud-init configuration is ours, not debootstrap's: refresh it so a cached image follows this code.
            Configure(RootFs);
            log.LogInformation("Base image {Slug} cached at {Path}", Slug, RootFs);
            return;
        }

        var clock = Stopwatch.StartNew();
        var staging = Path.Combine(cacheDirectory, Slug + ".building");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var (mirror, sources) = AptMirror.Read();
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
        File.WriteAllText(Path.Combine(staging, "etc", "apt", "sources.list"), sources);
        Configure(staging);
        await InChrootAsync(
            staging,
            "apt-get update -qq && apt-get -y -qq -o Dpkg::Options::=--force-confold dist-upgrade " +
            "&& apt-get install -y -qq --no-install-recommends cloud-init && apt-get clean && rm -rf /var/lib/apt/lists/*",
            cancellationToken);
        Neutralise(staging);

        if (Directory.Exists(RootFs))
        {
            Directory.Delete(RootFs, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(RootFs)!);
        Directory.Move(staging, RootFs);
        await File.WriteAllTextAsync(Marker, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
        log.LogInformation("Base image {Slug} built in {Elapsed:0}s", Slug, clock.Elapsed.TotalSeconds);
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(cacheDirectory, "build.lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(15))
            {
                if (waited.Elapsed.TotalSeconds % 30 < 0.5)
                {
                    log.LogInformation("Waiting for another local cloud building the base image ({Elapsed:0}s)", waited.Elapsed.TotalSeconds);
                }

                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private async Task InChrootAsync(string root, string command, CancellationToken cancellationToken)
    {
        // A private mount namespace: /proc for the chroot disappears with the command, nothing leaks onto the host.
        await HostCommands.RunAsync(
            log,
            "unshare",
            ["--mount", "--propagation", "private", "sh", "-c", "mount -t proc proc \"$ROOT/proc\" && mount -t devpts -o newinstance devpts \"$ROOT/dev/pts\" && chroot \"$ROOT\" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive /bin/sh -c \"$COMMAND\""],
            cancellationToken,
            new Dictionary<string, string> { ["ROOT"] = root, ["COMMAND"] = command, ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });
    }

    /// <summary>Our part of the base image; idempotent, so a cached image follows this code.</summary>
    private static void Configure(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "etc", "cloud", "cloud.cfg.d"));
        File.WriteAllText(Path.Combine(root, "etc", "cloud", "cloud.cfg.d", "90-local-cloud.cfg"), HostCommands.Script("90-local-cloud.cfg"));

        // No init system runs daemons here, and the sandbox shares the host's network: package scripts must not start
        // services (nginx on the host's port 80, say). Debian's standard switch for chroots.
        var policy = Path.Combine(root, "usr", "sbin", "policy-rc.d");
        File.WriteAllText(policy, "#!/bin/sh\n# Local cloud: services are not started by package scripts (no init system, shared network).\nexit 101\n");
        File.SetUnixFileMode(policy, (UnixFileMode)Convert.ToInt32("755", 8));

        // poweroff, shutdown, halt and reboot ask the droplet's PID 1 to stop or reboot (there is no systemd).
        Directory.CreateDirectory(Path.Combine(root, "usr", "local", "sbin"));
        foreach (var command in new[] { "poweroff", "shutdown", "halt", "reboot" })
        {
            var link = Path.Combine(root, "usr", "local", "sbin", command);
            if (!File.Exists(link) && new FileInfo(link).LinkTarget is null)
            {
                File.CreateSymbolicLink(link, "/run/local-cloud/power");
            }
        }
    }

    /// <summary>Per-droplet state debootstrap leaves behind: host keys, machine id, hostname, resolver.</summary>
    private static void Neutralise(string root)
    {
        foreach (var key in Directory.GetFiles(Path.Combine(root, "etc", "ssh"), "ssh_host_*"))
        {
            File.Delete(key);
        }

        File.WriteAllText(Path.Combine(root, "etc", "machine-id"), string.Empty);
        File.WriteAllText(Path.Combine(root, "etc", "hostname"), "localhost\n");
        File.WriteAllText(Path.Combine(root, "etc", "resolv.conf"), string.Empty);
    }
}
