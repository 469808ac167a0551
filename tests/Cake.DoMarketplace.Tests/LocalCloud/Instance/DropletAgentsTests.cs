using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.Tests.LocalCloud.Instance;

/// <summary>
/// with_droplet_agent as DigitalOcean's API description defines it (and ansible-collections/community.digitalocean#284
/// tabulates it): left out → installed where supported, silently not elsewhere; false → never; true → installed, or
/// the create is refused where the OS is not supported. monitoring: true → do-agent, refused where not supported.
/// </summary>
public sealed class DropletAgentsTests
{
    private static readonly ImageRecord Debian = ImageRecord.Base(Cake.DoMarketplace.LocalCloud.Machines.BaseImage.All[0], DateTime.UtcNow);

    private static readonly ImageRecord Unsupported = new()
    {
        Id = 7, Name = "custom", Type = "custom", Distribution = "Arch Linux", Regions = ["nyc3"], CreatedAt = DateTimeOffset.UtcNow,
    };

    private static DropletCreateRequest Request(bool? agent, bool monitoring = false) =>
        new("d", "nyc3", "s-1vcpu-512mb-10gb", "debian-12-x64", [], [], null, null, monitoring, Ipv6: false, Backups: false, agent);

    [Theory]
    [InlineData(null, false, "droplet-agent")]
    [InlineData(true, false, "droplet-agent")]
    [InlineData(false, false, "")]
    [InlineData(null, true, "droplet-agent do-agent")]
    [InlineData(false, true, "do-agent")]
    public void On_a_supported_distribution(bool? agent, bool monitoring, string expected)
    {
        var (packages, refusal) = DropletAgents.For(Request(agent, monitoring), Debian);

        Assert.Null(refusal);
        Assert.Equal(expected, string.Join(' ', packages));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    public void On_an_unsupported_distribution_the_default_and_false_install_nothing(bool? agent)
    {
        var (packages, refusal) = DropletAgents.For(Request(agent), Unsupported);

        Assert.Null(refusal);
        Assert.Empty(packages);
    }

    [Fact]
    public void On_an_unsupported_distribution_insisting_on_an_agent_is_refused()
    {
        Assert.Contains("droplet agent is not supported on Arch Linux", DropletAgents.For(Request(true), Unsupported).Refusal, StringComparison.Ordinal);
        Assert.Contains("Monitoring is not supported on Arch Linux", DropletAgents.For(Request(null, monitoring: true), Unsupported).Refusal,
            StringComparison.Ordinal);
    }
}
