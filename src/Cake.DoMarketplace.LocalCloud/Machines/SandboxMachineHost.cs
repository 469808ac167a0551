using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Cake.DoMarketplace.LocalCloud.State;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Droplets as sandboxed Debian machines: a copy-on-write overlay root over the base image (and snapshot layers),
/// run in its own mount, PID and UTS namespaces, chrooted, booted by real cloud-init from a NoCloud seed, with sshd
/// on the droplet's own loopback address, port 22. Snapshots are copies of a droplet's writable layer.
/// </summary>
internal sealed class SandboxMachineHost : IMachineHost
{
    private const int SigTerm = 15;
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(2);
    private readonly string dataDirectory;
    private readonly BaseImageBuilder baseImage;
    private readonly ILogger log;
    private readonly ConcurrentDictionary<long, SandboxMachine> running = new();
    private readonly ConcurrentDictionary<long, long> dropletImages = new();
    private readonly ConcurrentDictionary<long, byte> deletedImages = new();
    private readonly ConcurrentDictionary<long, byte> stopsRequested = new();
    private readonly string initScript;
    private readonly string launchScript;
    private readonly string powerScript;

    public SandboxMachineHost(string dataDirectory, string imageCacheDirectory, ILogger log)
    {
        this.dataDirectory = dataDirectory;
        this.log = log;
        baseImage = new BaseImageBuilder(imageCacheDirectory, log);
        var runtime = Directory.CreateDirectory(Path.Combine(dataDirectory, "runtime")).FullName;
        var stale = Path.Combine(dataDirectory, "droplets");
        if (Directory.Exists(stale))
        {
            // Droplets are processes: none survives a restart of the local cloud. A crashed local cloud may have left
            // some running; stop them, then their disks are garbage.
            foreach (var pidFile in Directory.GetFiles(stale, "unshare.pid", SearchOption.AllDirectories))
            {
                KillStale(pidFile, dataDirectory);
            }

            Directory.Delete(stale, recursive: true);
        }

        initScript = Path.Combine(runtime, "droplet-init.sh");
        launchScript = Path.Combine(runtime, "droplet-launch.sh");
        powerScript = Path.Combine(runtime, "droplet-power.sh");
        File.WriteAllText(initScript, HostCommands.Script("droplet-init.sh"));
        File.WriteAllText(launchScript, HostCommands.Script("droplet-launch.sh"));
        File.WriteAllText(powerScript, HostCommands.Script("droplet-power.sh"));
    }

    public const long BaseImageId = 150_000_012;

    /// <summary>A machine stopped on its own (poweroff or reboot inside the droplet, or a crash): droplet id, reboot asked.</summary>
    public event Action<long, bool>? StoppedOnItsOwn;

    public async Task<IReadOnlyList<ImageRecord>> PrepareBaseImagesAsync(CancellationToken cancellationToken)
    {
        await Prerequisites.EnsureAsync(log, cancellationToken);
        await baseImage.EnsureAsync(cancellationToken);
        return
        [
            new ImageRecord
            {
                Id = BaseImageId,
                Name = "12 x64",
                Type = "base",
                Distribution = "Debian",
                Slug = BaseImageBuilder.Slug,
                Public = true,
                Regions = [.. Api.Catalog.RegionSlugs],
                CreatedAt = File.GetLastWriteTimeUtc(baseImage.RootFs),
                MinDiskSize = 10,
                SizeGigabytes = 0.5,
                Description = "Debian 12 x64 (local cloud: debootstrap minbase + openssh-server + cloud-init)",
            },
        ];
    }

    public async Task BootAsync(DropletRecord droplet, TimeSpan sshDelay, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var folder = DropletFolder(droplet.Id);
        var disk = Path.Combine(folder, "disk.img");
        foreach (var part in new[] { "disk", "root", "seed" })
        {
            Directory.CreateDirectory(Path.Combine(folder, part));
        }

        if (!File.Exists(disk))
        {
            // A disk of the size's capacity, sparse: it costs what is written, and filling it fills 10 GB, not the host.
            await HostCommands.RunAsync(log, "truncate", ["-s", $"{droplet.Size.Disk}G", disk], cancellationToken);
            await HostCommands.RunAsync(log, "mkfs.ext4", ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1,discard", disk], cancellationToken);
        }

        dropletImages[droplet.Id] = droplet.Image.Id;
        WriteSeed(Path.Combine(folder, "seed"), droplet);
        var start = new ProcessStartInfo("unshare", ["--mount", "--pid", "--uts", "--fork", "--kill-child", "--propagation", "private", "bash", launchScript])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DISK"] = disk;
        start.Environment["DISK_MOUNT"] = Path.Combine(folder, "disk");
        start.Environment["LOWER"] = string.Join(':', LowerLayers(droplet.Image));
        start.Environment["ROOT"] = Path.Combine(folder, "root");
        start.Environment["SEED"] = Path.Combine(folder, "seed");
        start.Environment["HOST_NAME"] = droplet.Name;
        start.Environment["ADDRESS"] = droplet.IpAddress;
        start.Environment["INIT_SCRIPT"] = initScript;
        start.Environment["POWER_SCRIPT"] = powerScript;
        start.Environment["SSHD_DELAY"] = ((int)sshDelay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        stopsRequested.TryRemove(droplet.Id, out _);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var console = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (console) { console.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (console) { console.AppendLine(e.Data); } } };
        process.Exited += (_, _) => OnExited(droplet.Id, process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var machine = new SandboxMachine(process);
        running[droplet.Id] = machine;
        await File.WriteAllTextAsync(Path.Combine(folder, "unshare.pid"), process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);

        if (sshDelay > TimeSpan.Zero)
        {
            await Task.Delay(500, cancellationToken);
            log.LogInformation("Droplet {Id}: injected fault, sshd refuses connections for {Delay}", droplet.Id, sshDelay);
            return;
        }

        while (!await ListensAsync(droplet.IpAddress, cancellationToken))
        {
            if (machine.HasExited || clock.Elapsed > BootTimeout)
            {
                stopsRequested[droplet.Id] = 0;
                await machine.KillAsync();
                running.TryRemove(droplet.Id, out _);
                throw new InvalidOperationException($"Droplet {droplet.Id} did not start sshd on {droplet.IpAddress}:22 within {clock.Elapsed.TotalSeconds:0}s.\n{console}");
            }

            await Task.Delay(20, cancellationToken);
        }

        log.LogInformation("Droplet {Id} ({Name}) up: sshd on {Address}:22 after {Elapsed:0.00}s", droplet.Id, droplet.Name, droplet.IpAddress, clock.Elapsed.TotalSeconds);
    }

    private static void KillStale(string pidFile, string dataDirectory)
    {
        try
        {
            var pid = int.Parse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture);
            if (File.ReadAllText($"/proc/{pid}/environ").Contains(dataDirectory, StringComparison.Ordinal))
            {
                using var stale = Process.GetProcessById(pid);
                stale.Kill(entireProcessTree: true);
                stale.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Gone already, or not ours.
        }
    }

    private void OnExited(long dropletId, Process process)
    {
        if (stopsRequested.TryRemove(dropletId, out _))
        {
            return;
        }

        if (running.TryGetValue(dropletId, out var machine) && machine.Unshare == process)
        {
            running.TryRemove(dropletId, out _);
        }

        var reboot = process.ExitCode == 3;
        log.LogInformation("Droplet {Id} stopped on its own ({What})", dropletId, reboot ? "reboot" : $"exit {process.ExitCode}");
        StoppedOnItsOwn?.Invoke(dropletId, reboot);
    }

    public async Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!running.TryGetValue(dropletId, out var machine))
        {
            return true;
        }

        stopsRequested[dropletId] = 0;
        machine.Signal(SigTerm);
        if (!await machine.WaitForExitAsync(grace))
        {
            stopsRequested.TryRemove(dropletId, out _);
            return false;
        }

        running.TryRemove(dropletId, out _);
        return true;
    }

    public async Task PowerOffAsync(long dropletId)
    {
        if (running.TryRemove(dropletId, out var machine))
        {
            stopsRequested[dropletId] = 0;
            await machine.KillAsync();
        }
    }

    public async Task<double> SnapshotAsync(long dropletId, ImageRecord snapshot, CancellationToken cancellationToken)
    {
        var layer = ImageFolder(snapshot.Id);
        var staging = layer + ".copying";
        var folder = DropletFolder(dropletId);
        Directory.CreateDirectory(Path.Combine(staging, "layer"));
        var destination = Path.Combine(staging, "layer");

        // cp -a keeps the overlay whiteouts (0:0 character devices) and trusted.overlay.* attributes of the layer.
        const string Copy = "cp -a --reflink=auto \"$DISK_MOUNT/upper/.\" \"$DESTINATION\"";
        var environment = new Dictionary<string, string> { ["DISK"] = Path.Combine(folder, "disk.img"), ["DISK_MOUNT"] = Path.Combine(folder, "disk"), ["DESTINATION"] = destination };
        if (running.TryGetValue(dropletId, out var machine) && machine.InitPid is { } pid)
        {
            // A live snapshot: the disk is mounted in the droplet's own mount namespace only.
            await HostCommands.RunAsync(log, "nsenter", ["-t", pid.ToString(CultureInfo.InvariantCulture), "-m", "sh", "-c", "sync && " + Copy], cancellationToken, environment);
        }
        else
        {
            await HostCommands.RunAsync(log, "unshare", ["--mount", "--propagation", "private", "sh", "-c", $"mount -o loop,ro \"$DISK\" \"$DISK_MOUNT\" && {Copy}"], cancellationToken, environment);
        }

        await File.WriteAllTextAsync(Path.Combine(staging, "parent"), dropletImages[dropletId].ToString(CultureInfo.InvariantCulture), cancellationToken);
        Directory.Move(staging, layer);
        var bytes = await HostCommands.RunAsync(log, "du", ["-sb", Path.Combine(layer, "layer")], cancellationToken);
        var size = long.Parse(bytes.Split('\t')[0], CultureInfo.InvariantCulture);
        return Math.Round(size / 1e9 + 0.5, 2); // the base image's 0.5 GB plus the layer
    }

    public async Task DropSshConnectionsAsync(long dropletId)
    {
        if (running.TryGetValue(dropletId, out var machine) && machine.InitPid is { } pid)
        {
            // Per-connection sshd processes are titled "sshd: root…"; the listener ("sshd: /usr/sbin/sshd") stays.
            var killed = await HostCommands.RunAllowingFailureAsync(log, "nsenter", ["-t", pid.ToString(CultureInfo.InvariantCulture), "-m", "-p", "-r", "pkill", "-KILL", "-f", "^sshd: root"]);
            log.LogInformation("Droplet {Id}: SSH connections dropped ({Result})", dropletId, killed == 0 ? "some were open" : "none were open");
        }
    }

    public async Task DestroyAsync(long dropletId)
    {
        await PowerOffAsync(dropletId);
        var folder = DropletFolder(dropletId);
        if (Directory.Exists(folder))
        {
            await HostCommands.RunAsync(log, "rm", ["-rf", "--one-file-system", folder], CancellationToken.None);
        }

        dropletImages.TryRemove(dropletId, out _);
        await CollectImagesAsync();
    }

    public async Task DeleteImageAsync(long imageId)
    {
        deletedImages[imageId] = 0;
        await CollectImagesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in running.Keys.ToList())
        {
            await PowerOffAsync(id);
        }
    }

    /// <summary>Overlay lower layers, top first: the snapshot layers of the image's chain, then the base rootfs.</summary>
    private IEnumerable<string> LowerLayers(ImageRecord image)
    {
        var id = image.Id;
        while (id != BaseImageId)
        {
            var folder = ImageFolder(id);
            yield return Path.Combine(folder, "layer");
            id = long.Parse(File.ReadAllText(Path.Combine(folder, "parent")), CultureInfo.InvariantCulture);
        }

        yield return baseImage.RootFs;
    }

    /// <summary>Deletes the files of deleted images that no droplet and no other image layers on any more.</summary>
    private async Task CollectImagesAsync()
    {
        foreach (var imageId in deletedImages.Keys)
        {
            var inUse = dropletImages.Values.Any(i => Chain(i).Contains(imageId))
                        || Directory.Exists(Path.Combine(dataDirectory, "images")) && Directory.GetDirectories(Path.Combine(dataDirectory, "images"))
                            .Select(d => long.TryParse(Path.GetFileName(d), out var other) ? other : 0)
                            .Where(other => other != imageId && other != 0 && !deletedImages.ContainsKey(other))
                            .Any(other => Chain(other).Contains(imageId));
            if (!inUse && deletedImages.TryRemove(imageId, out _) && Directory.Exists(ImageFolder(imageId)))
            {
                await HostCommands.RunAsync(log, "rm", ["-rf", "--one-file-system", ImageFolder(imageId)], CancellationToken.None);
            }
        }
    }

    private List<long> Chain(long imageId)
    {
        var chain = new List<long>();
        for (var id = imageId; id != BaseImageId && File.Exists(Path.Combine(ImageFolder(id), "parent")); id = long.Parse(File.ReadAllText(Path.Combine(ImageFolder(id), "parent")), CultureInfo.InvariantCulture))
        {
            chain.Add(id);
        }

        return chain;
    }

    // The seed holds user data, which may carry secrets (a pinned host key, say): readable by root only.
    private static void WriteSeed(string seed, DropletRecord droplet)
    {
        File.SetUnixFileMode(seed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var keys = string.Concat(droplet.PublicKeys.Select(k => $"  - {k}\n"));
        File.WriteAllText(Path.Combine(seed, "meta-data"),
            $"instance-id: {droplet.Id}\nlocal-hostname: {droplet.Name}\n" + (keys.Length > 0 ? "public-keys:\n" + keys : string.Empty));
        File.WriteAllText(Path.Combine(seed, "user-data"), droplet.UserData ?? "#cloud-config\n{}\n");
        File.WriteAllText(Path.Combine(seed, "vendor-data"), "#cloud-config\n{}\n");
        foreach (var file in Directory.GetFiles(seed))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task<bool> ListensAsync(string address, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync(System.Net.IPAddress.Parse(address), 22, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private string DropletFolder(long id) => Path.Combine(dataDirectory, "droplets", id.ToString(CultureInfo.InvariantCulture));

    private string ImageFolder(long id) => Path.Combine(dataDirectory, "images", id.ToString(CultureInfo.InvariantCulture));
}
