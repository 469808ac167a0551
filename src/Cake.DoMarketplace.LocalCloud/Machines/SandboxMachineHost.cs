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
    private readonly string initScript;
    private readonly string launchScript;

    public SandboxMachineHost(string dataDirectory, string imageCacheDirectory, ILogger log)
    {
        this.dataDirectory = dataDirectory;
        this.log = log;
        baseImage = new BaseImageBuilder(imageCacheDirectory, log);
        var runtime = Directory.CreateDirectory(Path.Combine(dataDirectory, "runtime")).FullName;
        var stale = Path.Combine(dataDirectory, "droplets");
        if (Directory.Exists(stale))
        {
            // Droplets are processes: none survives a restart of the local cloud, so their disks are garbage.
            Directory.Delete(stale, recursive: true);
        }

        initScript = Path.Combine(runtime, "droplet-init.sh");
        launchScript = Path.Combine(runtime, "droplet-launch.sh");
        File.WriteAllText(initScript, HostCommands.Script("droplet-init.sh"));
        File.WriteAllText(launchScript, HostCommands.Script("droplet-launch.sh"));
    }

    public const long BaseImageId = 150_000_012;

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

    public async Task BootAsync(DropletRecord droplet, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var folder = DropletFolder(droplet.Id);
        foreach (var part in new[] { "upper", "work", "root" })
        {
            Directory.CreateDirectory(Path.Combine(folder, part));
        }

        dropletImages[droplet.Id] = droplet.Image.Id;
        WriteSeed(Path.Combine(folder, "upper"), droplet);
        var start = new ProcessStartInfo("unshare", ["--mount", "--pid", "--uts", "--fork", "--kill-child", "--propagation", "private", "bash", launchScript])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["LOWER"] = string.Join(':', LowerLayers(droplet.Image));
        start.Environment["UPPER"] = Path.Combine(folder, "upper");
        start.Environment["WORK"] = Path.Combine(folder, "work");
        start.Environment["ROOT"] = Path.Combine(folder, "root");
        start.Environment["HOST_NAME"] = droplet.Name;
        start.Environment["ADDRESS"] = droplet.IpAddress;
        start.Environment["INIT_SCRIPT"] = initScript;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start unshare.");
        var console = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (console) { console.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (console) { console.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var machine = new SandboxMachine(process);
        running[droplet.Id] = machine;

        while (!await ListensAsync(droplet.IpAddress, cancellationToken))
        {
            if (machine.HasExited || clock.Elapsed > BootTimeout)
            {
                await machine.KillAsync();
                running.TryRemove(droplet.Id, out _);
                var bootLog = ReadTail(Path.Combine(folder, "upper", "var", "log", "local-cloud-boot.log"));
                throw new InvalidOperationException($"Droplet {droplet.Id} did not start sshd on {droplet.IpAddress}:22 within {clock.Elapsed.TotalSeconds:0}s.\n{console}\n{bootLog}");
            }

            await Task.Delay(25, cancellationToken);
        }

        log.LogInformation("Droplet {Id} ({Name}) up: sshd on {Address}:22 after {Elapsed:0.00}s", droplet.Id, droplet.Name, droplet.IpAddress, clock.Elapsed.TotalSeconds);
    }

    public async Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!running.TryGetValue(dropletId, out var machine))
        {
            return true;
        }

        machine.Signal(SigTerm);
        if (!await machine.WaitForExitAsync(grace))
        {
            return false;
        }

        running.TryRemove(dropletId, out _);
        return true;
    }

    public async Task PowerOffAsync(long dropletId)
    {
        if (running.TryRemove(dropletId, out var machine))
        {
            await machine.KillAsync();
        }
    }

    public async Task<double> SnapshotAsync(long dropletId, ImageRecord snapshot, CancellationToken cancellationToken)
    {
        var layer = ImageFolder(snapshot.Id);
        var staging = layer + ".copying";
        if (running.ContainsKey(dropletId))
        {
            await HostCommands.RunAsync(log, "sync", [], cancellationToken);
        }

        Directory.CreateDirectory(staging);
        // cp -a keeps overlay whiteouts (0:0 character devices) and the trusted.overlay.* attributes of the layer.
        await HostCommands.RunAsync(log, "cp", ["-a", "--reflink=auto", Path.Combine(DropletFolder(dropletId), "upper") + "/.", Path.Combine(staging, "layer")], cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(staging, "parent"), dropletImages[dropletId].ToString(CultureInfo.InvariantCulture), cancellationToken);
        Directory.Move(staging, layer);
        var bytes = await HostCommands.RunAsync(log, "du", ["-sb", Path.Combine(layer, "layer")], cancellationToken);
        var size = long.Parse(bytes.Split('\t')[0], CultureInfo.InvariantCulture);
        return Math.Round(size / 1e9 + 0.5, 2); // the base image's 0.5 GB plus the layer
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

    private static void WriteSeed(string upper, DropletRecord droplet)
    {
        var seed = Directory.CreateDirectory(Path.Combine(upper, "var", "lib", "cloud", "seed", "nocloud")).FullName;
        var keys = string.Concat(droplet.PublicKeys.Select(k => $"  - {k}\n"));
        File.WriteAllText(Path.Combine(seed, "meta-data"),
            $"instance-id: {droplet.Id}\nlocal-hostname: {droplet.Name}\n" + (keys.Length > 0 ? "public-keys:\n" + keys : string.Empty));
        File.WriteAllText(Path.Combine(seed, "user-data"), droplet.UserData ?? "#cloud-config\n{}\n");
        File.WriteAllText(Path.Combine(seed, "vendor-data"), "#cloud-config\n{}\n");
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

    private static string ReadTail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(30)) : "(no boot log)";

    private string DropletFolder(long id) => Path.Combine(dataDirectory, "droplets", id.ToString(CultureInfo.InvariantCulture));

    private string ImageFolder(long id) => Path.Combine(dataDirectory, "images", id.ToString(CultureInfo.InvariantCulture));
}
