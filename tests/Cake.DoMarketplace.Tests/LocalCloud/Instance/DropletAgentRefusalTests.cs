using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.Tests.LocalCloud.Instance;

/// <summary>The refusal reaches the API as DigitalOcean's 422, before a droplet, address or machine exists.</summary>
public sealed class DropletAgentRefusalTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("cdm-agents-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public void An_insisted_agent_on_an_unsupported_image_is_a_422_and_nothing_is_made()
    {
        var state = new CloudState(data, Cake.DoMarketplace.LocalCloud.Network.AddressRange.Parse("198.18.0.0/24"));
        state.AddImage(new ImageRecord { Id = 7, Name = "custom", Type = "custom", Distribution = "Arch Linux", Regions = ["nyc3"], CreatedAt = DateTimeOffset.UtcNow });
        var host = new NoMachines();
        var service = new DropletService(state, host, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new Cake.DoMarketplace.LocalCloud.Faults.FaultInjector(new()), new BackgroundWork(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        var outcome = service.Create(new DropletCreateRequest("d", "nyc3", "s-1vcpu-512mb-10gb", "7", [], [], null, null, false, false, false, true));

        Assert.Equal((422, "unprocessable_entity"), (outcome.Status, outcome.ErrorId));
        Assert.Empty(state.Droplets);
        Assert.Equal(0, host.Boots);
    }

    private sealed class NoMachines : Cake.DoMarketplace.LocalCloud.Machines.IMachineHost
    {
        public int Boots { get; private set; }

        public event Action<long, bool>? StoppedOnItsOwn { add { } remove { } }

        public Task<IReadOnlyList<(Cake.DoMarketplace.LocalCloud.Machines.BaseImage Image, DateTime BuiltAt)>> PrepareBaseImagesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task BootAsync(Cake.DoMarketplace.LocalCloud.Machines.MachineSpec droplet, TimeSpan sshDelay, CancellationToken cancellationToken)
        {
            Boots++;
            return Task.CompletedTask;
        }

        public Task<bool> ShutdownAsync(long dropletId, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PowerOffAsync(long dropletId) => throw new NotSupportedException();

        public Task<double> SnapshotAsync(long dropletId, long snapshotId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DropSshConnectionsAsync(long dropletId) => throw new NotSupportedException();

        public Task DestroyAsync(long dropletId) => throw new NotSupportedException();

        public Task DeleteImageAsync(long imageId) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
