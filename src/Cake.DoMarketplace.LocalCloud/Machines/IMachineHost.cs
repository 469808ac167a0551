namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Runs the machines behind droplets: real sandboxes (<see cref="SandboxMachineHost"/>), or records in memory
/// (<see cref="InMemoryMachineHost"/>) for the API and state tests; the fault layer wraps either.
/// </summary>
internal interface IMachineHost : IAsyncDisposable
{
    /// <summary>A machine stopped without being asked through the API: droplet id, and whether it asked to reboot.</summary>
    event Action<long, bool>? StoppedOnItsOwn;

    /// <summary>Makes sure the distribution images exist (built once, then cached) and returns their records.</summary>
    Task<IReadOnlyList<(BaseImage Image, DateTime BuiltAt)>> PrepareBaseImagesAsync(CancellationToken cancellationToken);

    /// <summary>Boots the droplet's machine; returns once its sshd listens on the droplet's address, port 22.</summary>
    Task BootAsync(MachineSpec droplet, CancellationToken cancellationToken);

    /// <summary>
    /// Refuses new SSH connections to the machine for <paramref name="duration"/> (sshd itself keeps listening), as a
    /// droplet reported active before its sshd is up does.
    /// </summary>
    Task RefuseSshAsync(MachineSpec droplet, TimeSpan duration);

    /// <summary>Stops the machine cleanly (services stopped, disks synced); false if it did not stop in time.</summary>
    Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Kills the machine at once, like pulling the plug.</summary>
    Task PowerOffAsync(long dropletId);

    /// <summary>Stores the droplet's filesystem as the snapshot image; returns its size in GB.</summary>
    Task<double> SnapshotAsync(long dropletId, long snapshotId, CancellationToken cancellationToken);

    /// <summary>Cuts every SSH connection to the machine (sshd itself keeps listening), as a reboot or a network blip would.</summary>
    Task DropSshConnectionsAsync(long dropletId);

    /// <summary>Stops the machine if it runs and frees its disk, processes and mounts.</summary>
    Task DestroyAsync(long dropletId);

    /// <summary>Frees an image's files (once no droplet's disk still layers on them).</summary>
    Task DeleteImageAsync(long imageId);
}
