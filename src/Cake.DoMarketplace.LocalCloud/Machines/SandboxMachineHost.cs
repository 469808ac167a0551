using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Cake.DoMarketplace.LocalCloud.Host;
using Cake.DoMarketplace.LocalCloud.Network;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Droplets as whole Debian machines: a copy-on-write overlay root over the base image (and snapshot layers) on the
/// droplet's own disk, booted by systemd-nspawn with systemd as PID 1 in the droplet's own network namespace, with a
/// droplet's DMI identity and a config drive beside its disk, where cloud-init runs its systemd units from that config
/// drive and sshd listens on the droplet's address. Snapshots are copies of a droplet's writable layer.
/// </summary>
internal sealed class SandboxMachineHost : IMachineHost
{
    private const int SigTerm = 15;

    /// <summary>systemd-nspawn's exit status when the machine rebooted.</summary>
    private const int RebootExitCode = 133;
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(2);
    private readonly string dataDirectory;
    private readonly string imageCacheDirectory;
    private readonly DropletNetwork network;
    private readonly ImageLayerStore images;
    private readonly ILogger log;
    private readonly ConcurrentDictionary<long, SandboxMachine> running = new();
    private readonly ConcurrentDictionary<long, int> dropletSlots = new();
    private readonly ConcurrentDictionary<long, byte> stopsRequested = new();
    private readonly string launchScript;
    private readonly string initScript;

    public SandboxMachineHost(string dataDirectory, string imageCacheDirectory, DropletNetwork network, ILogger log)
    {
        this.dataDirectory = dataDirectory;
        this.imageCacheDirectory = imageCacheDirectory;
        this.network = network;
        this.log = log;
        images = new ImageLayerStore(dataDirectory, imageCacheDirectory, log);
        images.Platform.Write();
        var runtime = Directory.CreateDirectory(Path.Combine(dataDirectory, "runtime")).FullName;
        launchScript = Path.Combine(runtime, "droplet-launch.sh");
        File.WriteAllText(launchScript, HostCommands.Script("droplet-launch.sh"));
        initScript = HostCommands.Script("droplet-init.sh");
        Agents = new AgentPackages(Path.Combine(runtime, "packages"));
    }

    /// <summary>The stand-ins for DigitalOcean's agents that droplets install (built by <see cref="PrepareBaseImagesAsync"/>).</summary>
    public AgentPackages Agents { get; }

    /// <summary>A machine stopped on its own (poweroff or reboot inside the droplet, or a crash): droplet id, reboot asked.</summary>
    public event Action<long, bool>? StoppedOnItsOwn;

    public async Task<IReadOnlyList<(BaseImage Image, DateTime BuiltAt)>> PrepareBaseImagesAsync(CancellationToken cancellationToken)
    {
        await Agents.BuildAsync(log, cancellationToken);
        return await BaseImageBuilder.EnsureAllAsync(imageCacheDirectory, log, cancellationToken);
    }

    public async Task BootAsync(MachineSpec droplet, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var folder = DropletFolder(droplet.Id);
        var disk = Path.Combine(folder, "disk.img");
        foreach (var part in new[] { "disk", "root", "drive", "boot" })
        {
            Directory.CreateDirectory(Path.Combine(folder, part));
        }

        await WaitForDiskReleasedAsync(droplet.Id, cancellationToken);
        if (!File.Exists(disk))
        {
            // A disk of the size's capacity, sparse: it costs what is written, and filling it fills 10 GB, not the host.
            await HostCommands.RunAsync(log, "truncate", ["-s", $"{droplet.DiskGigabytes}G", disk], cancellationToken);
            await HostCommands.RunAsync(log, "mkfs.ext4", ["-q", "-F", "-m", "0", "-E", "lazy_itable_init=1,lazy_journal_init=1,discard", disk],
                cancellationToken);
        }

        images.Use(droplet.Id, droplet.ImageId);
        dropletSlots[droplet.Id] = droplet.Address.Slot;
        await network.AddDropletAsync(droplet.Address.Slot, droplet.Mac, cancellationToken);
        await WriteInstanceDataAsync(folder, droplet, cancellationToken);
        var start = new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "bash", launchScript])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,

            // A pipe, never the local cloud's terminal: systemd-nspawn would otherwise attach the machine's console to it.
            RedirectStandardInput = true,
        };
        start.Environment["DISK"] = disk;
        start.Environment["DISK_MOUNT"] = Path.Combine(folder, "disk");
        start.Environment["LOWER"] = string.Join(':', images.LowerLayers(droplet.ImageId));
        start.Environment["ROOT"] = Path.Combine(folder, "root");
        start.Environment["CONFIG_DRIVE"] = Path.Combine(folder, "config-drive.img");
        start.Environment["DRIVE_MOUNT"] = Path.Combine(folder, "drive");
        start.Environment["BOOT"] = Path.Combine(folder, "boot");
        start.Environment["MACHINE"] = $"droplet-{droplet.Id}";
        start.Environment["NETNS"] = DropletNetwork.NamespacePath(droplet.Address.Slot);
        start.Environment["GATEWAY"] = droplet.Address.Gateway;
        stopsRequested.TryRemove(droplet.Id, out _);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var console = new ConsoleTail();
        process.OutputDataReceived += (_, e) => console.Add(e.Data);
        process.ErrorDataReceived += (_, e) => console.Add(e.Data);
        process.Exited += (_, _) => OnExited(droplet.Id, process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var machine = new SandboxMachine(process);
        running[droplet.Id] = machine;
        await File.WriteAllTextAsync(Path.Combine(folder, "nspawn.pid"), process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
        while (!machine.ListensOnSsh())
        {
            if (machine.HasExited || clock.Elapsed > BootTimeout)
            {
                stopsRequested[droplet.Id] = 0;
                await machine.KillAsync();
                running.TryRemove(droplet.Id, out _);
                throw new InvalidOperationException(
                    $"Droplet {droplet.Id} did not start sshd on {droplet.Address.Address}:22 within {clock.Elapsed.TotalSeconds:0}s. Its console:\n{console}");
            }

            await Task.Delay(20, cancellationToken);
        }

        log.DropletUp(droplet.Id, droplet.Name, droplet.Address.Address, clock.Elapsed.TotalSeconds);
    }

    public Task RefuseSshAsync(MachineSpec droplet, TimeSpan duration) => network.RefuseSshAsync(droplet.Address.Address, duration);

    private void OnExited(long dropletId, Process process)
    {
        if (stopsRequested.TryRemove(dropletId, out _))
        {
            return;
        }

        if (running.TryGetValue(dropletId, out var machine) && machine.Launcher == process)
        {
            running.TryRemove(dropletId, out _);
        }

        var reboot = process.ExitCode == RebootExitCode;
        if (reboot)
        {
            log.DropletRebooted(dropletId);
        }
        else
        {
            log.DropletExited(dropletId, process.ExitCode);
        }

        StoppedOnItsOwn?.Invoke(dropletId, reboot);
    }

    public async Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (!running.TryGetValue(dropletId, out var machine))
        {
            return true;
        }

        // systemd-nspawn turns SIGTERM into a clean poweroff of the machine: units stopped in order, disks synced.
        stopsRequested[dropletId] = 0;
        machine.SignalLauncher(SigTerm);
        if (!await machine.WaitForExitAsync(grace))
        {
            stopsRequested.TryRemove(dropletId, out _);
            return false;
        }

        running.TryRemove(dropletId, out _);
        await WaitForDiskReleasedAsync(dropletId, cancellationToken);
        return true;
    }

    public async Task PowerOffAsync(long dropletId)
    {
        if (running.TryRemove(dropletId, out var machine))
        {
            stopsRequested[dropletId] = 0;
            await machine.KillAsync();
            await WaitForDiskReleasedAsync(dropletId, CancellationToken.None);
        }
    }

    /// <summary>
    /// Waits until no loop device holds the droplet's disk any more. The kernel tears a machine's mount namespace
    /// down a moment after its last process: mounting the disk again before that (to boot it or copy a snapshot) would
    /// meet an ext4 still mounted elsewhere, or a journal still to replay.
    /// </summary>
    private async Task WaitForDiskReleasedAsync(long dropletId, CancellationToken cancellationToken)
    {
        var disk = Path.Combine(DropletFolder(dropletId), "disk.img");
        var clock = Stopwatch.StartNew();
        while (
            Directory.GetDirectories("/sys/block", "loop*").Any(d => File.Exists(Path.Combine(d, "loop", "backing_file"))
            && ReadOrEmpty(Path.Combine(d, "loop", "backing_file")) == disk))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"Droplet {dropletId}'s disk {disk} is still attached to a loop device 30 s after its machine stopped.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static string ReadOrEmpty(string file)
    {
        try
        {
            return File.ReadAllText(file).Trim();
        }
        catch (IOException)
        {
            return string.Empty; // the device went away while we looked
        }
    }

    public async Task<double> SnapshotAsync(long dropletId, long snapshotId, CancellationToken cancellationToken)
    {
        var folder = DropletFolder(dropletId);
        var destination = Directory.CreateDirectory(images.StagingLayer(snapshotId)).FullName;

        // cp -a keeps the overlay whiteouts (0:0 character devices) and trusted.overlay.* attributes of the layer.
        const string Copy = "cp -a --reflink=auto \"$DISK_MOUNT/upper/.\" \"$DESTINATION\"";
        var environment = new Dictionary<string,
            string> { ["DISK"] = Path.Combine(folder, "disk.img"), ["DISK_MOUNT"] = Path.Combine(folder, "disk"), ["DESTINATION"] = destination };
        if (running.TryGetValue(dropletId, out var machine) && !machine.HasExited)
        {
            // A live snapshot: the disk is mounted in the mount namespace systemd-nspawn runs in, not on the host.
            await HostCommands.RunAsync(log, "nsenter",
                ["-t", machine.Launcher.Id.ToString(CultureInfo.InvariantCulture), "-m", "sh", "-c", "sync && " + Copy], cancellationToken, environment);
        }
        else
        {
            await WaitForDiskReleasedAsync(dropletId, cancellationToken);
            await HostCommands.RunAsync(log, "unshare",
                ["--mount", "--propagation", "private", "sh", "-c", $"mount -o loop,ro \"$DISK\" \"$DISK_MOUNT\" && {Copy}"], cancellationToken, environment);
        }

        return await images.CommitAsync(snapshotId, dropletId, cancellationToken);
    }

    public async Task DropSshConnectionsAsync(long dropletId)
    {
        if (running.TryGetValue(dropletId, out var machine) && machine.InitPid is { } pid)
        {
            // Per-connection sshd processes are titled "sshd: root…" (OpenSSH 10: "sshd-session: root…"); the listener stays.
            var killed = await HostCommands.RunAllowingFailureAsync(log, "nsenter",
                ["-t", pid.ToString(CultureInfo.InvariantCulture), "-m", "-p", "-r", "pkill", "-KILL", "-f", "^sshd(-session)?: root"]);
            if (killed == 0)
            {
                log.SshConnectionsDropped(dropletId); // pkill's 0: it matched some
            }
            else
            {
                log.NoSshConnectionsToDrop(dropletId);
            }
        }
    }

    public async Task DestroyAsync(long dropletId)
    {
        await PowerOffAsync(dropletId);
        if (dropletSlots.TryRemove(dropletId, out var slot))
        {
            await network.RemoveDropletAsync(slot);
        }

        var folder = DropletFolder(dropletId);
        if (Directory.Exists(folder))
        {
            await HostCommands.RunAsync(log, "rm", ["-rf", "--one-file-system", folder], CancellationToken.None);
        }

        await images.ReleaseAsync(dropletId);
    }

    public Task DeleteImageAsync(long imageId) => images.DeleteAsync(imageId);

    public async ValueTask DisposeAsync()
    {
        foreach (var id in running.Keys.ToList())
        {
            await PowerOffAsync(id);
        }
    }

    /// <summary>
    /// What the droplet's virtual hardware tells it: the config drive (its instance data) and, for its PID 1 to set up,
    /// its DMI identity. Both stay in the droplet's folder on the host, readable by root only: the user data may carry
    /// secrets (a pinned host key).
    /// </summary>
    private async Task WriteInstanceDataAsync(string folder, MachineSpec droplet, CancellationToken cancellationToken)
    {
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await ConfigDrive.WriteAsync(Path.Combine(folder, "config-drive.img"), Path.Combine(folder, "config-drive"), droplet, log, cancellationToken);
        var boot = Path.Combine(folder, "boot");
        DmiIdentity.Write(Path.Combine(boot, "dmi"), droplet.Id);
        await File.WriteAllTextAsync(Path.Combine(boot, "init"), initScript, cancellationToken);
    }

    private string DropletFolder(long id) => Path.Combine(dataDirectory, "droplets", id.ToString(CultureInfo.InvariantCulture));
}
