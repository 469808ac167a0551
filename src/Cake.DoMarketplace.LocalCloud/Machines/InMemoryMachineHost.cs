using System.Collections.Concurrent;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Machines as records in memory: no process, disk or network, no root. A boot is done at once (or when
/// <see cref="Hold"/> lets it), a snapshot holds nothing. The local cloud's API and state run on it unchanged
/// (<see cref="LocalCloudServer.StartInMemoryAsync"/>), so their tests need no root; what a machine does inside is the
/// sandbox host's, tested on real machines.
/// </summary>
internal sealed class InMemoryMachineHost : IMachineHost
{
    private readonly ConcurrentDictionary<long, MachineSpec> running = new();
    private readonly ConcurrentDictionary<long, byte> snapshots = new();
    private readonly ConcurrentQueue<(long DropletId, TimeSpan Duration)> sshRefusals = new();
    private volatile TaskCompletionSource released = Released();

    public event Action<long, bool>? StoppedOnItsOwn;

    /// <summary>The droplets whose machines run.</summary>
    public IReadOnlyCollection<long> Running => running.Keys.ToList();

    /// <summary>The snapshots whose files exist.</summary>
    public IReadOnlyCollection<long> Snapshots => snapshots.Keys.ToList();

    /// <summary>Every SSH refusal asked for: droplet and how long.</summary>
    public IReadOnlyList<(long DropletId, TimeSpan Duration)> SshRefusals => sshRefusals.ToList();

    /// <summary>The spec a running droplet's machine booted from (its vendor data as the machine got it).</summary>
    public MachineSpec? BootedFrom(long dropletId) => running.GetValueOrDefault(dropletId);

    /// <summary>Boots, shutdowns and snapshots wait until the returned hold is disposed: what runs meanwhile is seen in progress.</summary>
    public IDisposable Hold()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released = hold;
        return new Release(hold);
    }

    /// <summary>The machine stops from inside (poweroff, or reboot when <paramref name="reboot"/>), as a guest can.</summary>
    public void StopFromInside(long dropletId, bool reboot)
    {
        if (running.TryRemove(dropletId, out _))
        {
            StoppedOnItsOwn?.Invoke(dropletId, reboot);
        }
    }

    public Task<IReadOnlyList<(BaseImage Image, DateTime BuiltAt)>> PrepareBaseImagesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(BaseImage, DateTime)>>(BaseImage.All.Select(i => (i, DateTime.UtcNow)).ToList());

    public async Task BootAsync(MachineSpec droplet, CancellationToken cancellationToken)
    {
        await released.Task.WaitAsync(cancellationToken);
        running[droplet.Id] = droplet;
    }

    public Task RefuseSshAsync(MachineSpec droplet, TimeSpan duration)
    {
        sshRefusals.Enqueue((droplet.Id, duration));
        return Task.CompletedTask;
    }

    public async Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken)
    {
        await released.Task.WaitAsync(cancellationToken);
        running.TryRemove(dropletId, out _);
        return true;
    }

    public Task PowerOffAsync(long dropletId)
    {
        running.TryRemove(dropletId, out _);
        return Task.CompletedTask;
    }

    public async Task<double> SnapshotAsync(long dropletId, long snapshotId, CancellationToken cancellationToken)
    {
        await released.Task.WaitAsync(cancellationToken);
        snapshots[snapshotId] = 0;
        return 0;
    }

    public Task DropSshConnectionsAsync(long dropletId) => Task.CompletedTask;

    public Task DestroyAsync(long dropletId)
    {
        running.TryRemove(dropletId, out _);
        return Task.CompletedTask;
    }

    public Task DeleteImageAsync(long imageId)
    {
        snapshots.TryRemove(imageId, out _);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        released.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource Released()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private sealed class Release(TaskCompletionSource hold) : IDisposable
    {
        public void Dispose() => hold.TrySetResult();
    }
}
