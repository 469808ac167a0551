using System.Collections.Concurrent;
using Cake.DoMarketplace.LocalCloud.Machines;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>
/// The machine faults, in front of a machine host, on a droplet's first boot (its create):
/// <see cref="FaultOptions.PackageManagerBusyAfterBoot"/> (one more vendor script) and
/// <see cref="FaultOptions.SshRefusedAfterActive"/> (SSH refused from the moment the boot is reported done).
/// </summary>
internal sealed class FaultyMachineHost(IMachineHost inner, FaultInjector faults, ILogger log) : IMachineHost
{
    private readonly ConcurrentDictionary<long, byte> booted = new();

    public event Action<long, bool>? StoppedOnItsOwn
    {
        add => inner.StoppedOnItsOwn += value;
        remove => inner.StoppedOnItsOwn -= value;
    }

    public Task<IReadOnlyList<(BaseImage Image, DateTime BuiltAt)>> PrepareBaseImagesAsync(CancellationToken cancellationToken) =>
        inner.PrepareBaseImagesAsync(cancellationToken);

    public async Task BootAsync(MachineSpec droplet, CancellationToken cancellationToken)
    {
        var first = booted.TryAdd(droplet.Id, 0);
        var fault = faults.Current;
        if (first && fault.PackageManagerBusyAfterBoot > TimeSpan.Zero)
        {
            var script = PackageManagerBusyScript.For(fault.PackageManagerBusyAfterBoot);
            droplet = droplet with { VendorData = VendorData.WithScript(droplet.VendorData, PackageManagerBusyScript.Name, script) };
        }

        await inner.BootAsync(droplet, cancellationToken);
        if (first && fault.SshRefusedAfterActive > TimeSpan.Zero)
        {
            log.SshRefusedFault(droplet.Id, fault.SshRefusedAfterActive);
            await inner.RefuseSshAsync(droplet, fault.SshRefusedAfterActive);
        }
    }

    public Task RefuseSshAsync(MachineSpec droplet, TimeSpan duration) => inner.RefuseSshAsync(droplet, duration);

    public Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken) =>
        inner.ShutdownAsync(dropletId, grace, cancellationToken);

    public Task PowerOffAsync(long dropletId) => inner.PowerOffAsync(dropletId);

    public Task<double> SnapshotAsync(long dropletId, long snapshotId, CancellationToken cancellationToken) =>
        inner.SnapshotAsync(dropletId, snapshotId, cancellationToken);

    public Task DropSshConnectionsAsync(long dropletId) => inner.DropSshConnectionsAsync(dropletId);

    public async Task DestroyAsync(long dropletId)
    {
        await inner.DestroyAsync(dropletId);
        booted.TryRemove(dropletId, out _);
    }

    public Task DeleteImageAsync(long imageId) => inner.DeleteImageAsync(imageId);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
