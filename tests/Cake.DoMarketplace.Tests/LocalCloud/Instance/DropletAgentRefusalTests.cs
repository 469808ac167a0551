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
        state.AddImage(
            new ImageRecord { Id = 7, Name = "custom", Type = "custom", Distribution = "Arch Linux", Regions = ["nyc3"], CreatedAt = DateTimeOffset.UtcNow });
        var host = new Cake.DoMarketplace.LocalCloud.Machines.InMemoryMachineHost();
        var service = new DropletService(state, host, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new DirectActionRunner(),
            new BackgroundWork(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), DigitalOceanPace.Off);

        var outcome = service.Create(new DropletCreateRequest("d", "nyc3", "s-1vcpu-512mb-10gb", "7", [], [], null, null, false, false, false, true));

        Assert.Equal((422, "unprocessable_entity"), (outcome.Status, outcome.ErrorId));
        Assert.Empty(state.Droplets);
        Assert.Empty(host.Running);
    }
}
