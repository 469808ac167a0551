using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Droplets;

/// <summary>
/// The droplet create bodies as DigitalOcean receives them, through the real client: the build droplet's (the Marketplace
/// guide's, no agent unless asked), and the image test's (a customer's default create).
/// </summary>
public sealed class BuildDropletCreateRequestTests
{
    private const string KnownHostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGiQ5kKJDMx4FFnxiTKTOdnq958js0OJb83JEjfCK9xT";
    private readonly RecordingLog log = new();

    [Fact]
    public async Task The_build_droplet_is_the_guides_no_agent_no_monitoring_and_the_key_id_a_number()
    {
        await using var cloud = await CannedLaunch.StartAsync();

        await cloud.LaunchAsync(new BuildDropletSettings { Name = "myapp-build", KnownHostKey = KnownHostKey }, log);

        Assert.Equal(
            """{"name":"myapp-build","region":"nyc3","size":"s-1vcpu-1gb","image":"debian-12-x64","ssh_keys":[512190],"backups":false,"ipv6":"""
                + """false,"monitoring":false,"with_droplet_agent":false,"tags":["cake-domarketplace","cake-domarketplace-BUILD"]}""",
            cloud.CreateBody);
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public async Task DropletAgent_is_sent_as_set_and_extra_keys_go_as_ids_or_fingerprints(bool agent, string sent)
    {
        await using var cloud = await CannedLaunch.StartAsync();
        var settings = new BuildDropletSettings { Name = "myapp-build", KnownHostKey = KnownHostKey, DropletAgent = agent };
        settings.AdditionalSshKeys.Add("289794");
        settings.AdditionalSshKeys.Add("3b:16:e4:bf:8b:00:8b:b8:59:8c:a9:d3:f0:19:fa:46");

        await cloud.LaunchAsync(settings, log);

        Assert.Equal(
            """{"name":"myapp-build","region":"nyc3","size":"s-1vcpu-1gb","image":"debian-12-x64","ssh_keys":[512190,289794,"3b:16:e4:bf:8b:00:8b:b8:59:8c:"""
                + """a9:d3:f0:19:fa:46"],"backups":false,"ipv6":false,"monitoring":false,"with_droplet_agent":"""
            + sent + ",\"tags\":[\"cake-domarketplace\",\"cake-domarketplace-BUILD\"]}",
            cloud.CreateBody);
    }

    [Fact]
    public async Task A_droplet_new_with_empty_networks_is_waited_for_until_it_is_active_with_a_public_address()
    {
        // DigitalOcean answers a create 202 with status new and no addresses; the first reads may say the same, then
        // active with only the private address, before the public one is there.
        await using var cloud = await CannedLaunch.StartAsync(
            new CannedResponse(200, """{"droplet":{"id":9,"name":"b","status":"new","locked":false,"networks":{"v4":[],"v6":[]}}}"""),
            new CannedResponse(200,
                """{"droplet":{"id":9,"name":"b","status":"active","locked":false,"networks":{"v4":"""
                    + """[{"ip_address":"10.116.0.2","netmask":"255.255.240.0","gateway":"","type":"private"}],"v6":[]}}}"""),
            CannedLaunch.Active);

        var droplet = await cloud.LaunchAsync(new BuildDropletSettings { KnownHostKey = KnownHostKey }, log);

        Assert.Equal("192.0.2.10", droplet.PublicIPv4);
        Assert.Equal(3, cloud.Server.RequestsTo("GET", "/v2/droplets/9").Count);
        Assert.Contains("status=active no-ip", log.AllText);
    }

    [Fact]
    public async Task The_test_droplet_is_created_as_a_customers_default_create_without_with_droplet_agent_or_monitoring()
    {
        await using var cloud = await CannedLaunch.StartAsync();
        using var api = cloud.Client();

        // The canned session has no facts to give: the test fails after the create, which is all this test looks at.
        await Assert.ThrowsAnyAsync<Exception>(() => new ImageTester(api, log, cloud.OpenAsync)
            .TestAsync(777, new TestImageSettings { Name = "image-test" }, CancellationToken.None, "nyc3", size: "s-1vcpu-1gb"));

        Assert.Equal(
            """{"name":"image-test","region":"nyc3","size":"s-1vcpu-1gb","image":777,"ssh_keys":[512190],"backups":false,"ipv6":false,"tags":"""
                + """["cake-domarketplace","cake-domarketplace-BUILD"]}""",
            cloud.CreateBodyWithoutUserData);
        Assert.Single(cloud.Server.RequestsTo("DELETE", "/v2/droplets/9"));
    }
}
