using System.Text.Json.Nodes;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>
/// The builder's droplet options reach DigitalOcean as Packer's DigitalOcean builder sends them (godo's create request):
/// <c>with_droplet_agent</c> only when the template sets <c>droplet_agent</c>, <c>monitoring</c>, <c>ipv6</c> and
/// <c>private_networking</c> always, false when unset.
/// </summary>
public sealed class PackerDropletOptionsTests : IDisposable
{
    private const string Start = """{"name":"sample-build","region":"nyc3","size":"s-1vcpu-1gb","image":"debian-12-x64","ssh_keys":[512190],"backups":false,""";
    private const string End = ",\"tags\":[\"cake-domarketplace\",\"cake-domarketplace-BUILD\"]}";
    private readonly PackerTemplateFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData("{}", "\"ipv6\":false,\"private_networking\":false,\"monitoring\":false")]
    [InlineData("""{"droplet_agent":true}""", "\"ipv6\":false,\"private_networking\":false,\"monitoring\":false,\"with_droplet_agent\":true")]
    [InlineData("""{"droplet_agent":false}""", "\"ipv6\":false,\"private_networking\":false,\"monitoring\":false,\"with_droplet_agent\":false")]
    [InlineData("""{"droplet_agent":"{{user `agent`}}"}""", "\"ipv6\":false,\"private_networking\":false,\"monitoring\":false,\"with_droplet_agent\":true")]
    [InlineData("""{"monitoring":true}""", "\"ipv6\":false,\"private_networking\":false,\"monitoring\":true")]
    [InlineData("""{"monitoring":false,"ipv6":true,"private_networking":true}""", "\"ipv6\":true,\"private_networking\":true,\"monitoring\":false")]
    public async Task The_create_request_carries_the_builders_options_as_Packer_sends_them(string fields, string sent)
    {
        var json = PackerTemplateFiles.Minimal();
        json["variables"]!["agent"] = "true";
        var builder = json["builders"]![0]!.AsObject();
        builder["droplet_name"] = "sample-build";
        foreach (var (name, value) in JsonNode.Parse(fields)!.AsObject())
        {
            builder[name] = value?.DeepClone();
        }

        var settings = new PackerTemplateSettings();
        var image = files.Build().ImageSettings(files.Read(json, settings), settings);
        await using var cloud = await CannedLaunch.StartAsync();

        await cloud.LaunchAsync(image.Droplet, files.Log);

        Assert.Equal(Start + sent + End, cloud.CreateBodyWithoutUserData);
    }

    [Fact]
    public void The_builders_options_are_read_as_set_and_an_unset_agent_stays_unset()
    {
        var json = PackerTemplateFiles.Minimal();
        var unset = files.Read(json).Builder;
        json["builders"]![0]!["droplet_agent"] = true;
        json["builders"]![0]!["monitoring"] = true;
        var set = files.Read(json).Builder;

        Assert.Equal((null, false, false, false), (unset.DropletAgent, unset.Monitoring, unset.Ipv6, unset.PrivateNetworking));
        Assert.Equal((true, true), (set.DropletAgent, set.Monitoring));
    }
}
