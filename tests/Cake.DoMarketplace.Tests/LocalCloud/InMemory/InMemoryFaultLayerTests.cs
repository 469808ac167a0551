using System.Net;

namespace Cake.DoMarketplace.Tests.LocalCloud.InMemory;

/// <summary>The fault layer in front of the services, by the faults' names, on the in-memory local cloud.</summary>
public sealed class InMemoryFaultLayerTests
{
    [Fact]
    public async Task StuckInNew_droplet_reads_new_with_its_create_action_in_progress_and_is_deleted()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        await cloud.SetFaultsAsync("""{"stuckInNew":true}""");
        var (_, created, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("stuck"));
        var id = created.GetProperty("droplet").GetProperty("id").GetInt64();
        var actionId = created.GetProperty("links").GetProperty("actions")[0].GetProperty("id").GetInt64();

        // Once another droplet has booted, the stuck one's create has had its turn.
        await cloud.SetFaultsAsync("{}");
        await cloud.CreateActiveDropletAsync("witness");

        var (_, droplet, _) = await cloud.GetAsync($"v2/droplets/{id}");
        var (_, action, _) = await cloud.GetAsync($"v2/actions/{actionId}");
        Assert.Equal("new", droplet.GetProperty("droplet").GetProperty("status").GetString());
        Assert.Equal("in-progress", action.GetProperty("action").GetProperty("status").GetString());
        Assert.DoesNotContain(id, cloud.Machines.Running);
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.SendAsync(HttpMethod.Delete, $"v2/droplets/{id}")).Status);
    }

    [Fact]
    public async Task ErroredActions_end_the_named_action_errored_and_leave_the_machine_as_it_was()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        var id = await cloud.CreateActiveDropletAsync("errored");
        await cloud.SetFaultsAsync("""{"erroredActions":["power_off"]}""");

        var action = await cloud.ActAndWaitAsync(id, """{"type":"power_off"}""");

        Assert.Equal("errored", action.GetProperty("status").GetString());
        Assert.Contains(id, cloud.Machines.Running);
        Assert.Equal("active", (await cloud.GetAsync($"v2/droplets/{id}")).Body.GetProperty("droplet").GetProperty("status").GetString());
    }

    [Fact]
    public async Task IgnoreShutdown_completes_the_shutdown_and_the_machine_runs_on()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        var id = await cloud.CreateActiveDropletAsync("ignored");
        await cloud.SetFaultsAsync("""{"ignoreShutdown":true}""");

        var action = await cloud.ActAndWaitAsync(id, """{"type":"shutdown"}""");

        Assert.Equal("completed", action.GetProperty("status").GetString());
        Assert.Contains(id, cloud.Machines.Running);
        Assert.Equal("active", (await cloud.GetAsync($"v2/droplets/{id}")).Body.GetProperty("droplet").GetProperty("status").GetString());
    }

    [Fact]
    public async Task SshRefusedAfterActive_and_PackageManagerBusyAfterBoot_reach_the_first_boot_only()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        await cloud.SetFaultsAsync("""{"sshRefusedAfterActive":"00:00:04","packageManagerBusyAfterBoot":"00:00:30"}""");
        var id = await cloud.CreateActiveDropletAsync("first-boot");
        var firstBoot = cloud.Machines.BootedFrom(id)!;

        Assert.Equal((id, TimeSpan.FromSeconds(4)), Assert.Single(cloud.Machines.SshRefusals));
        Assert.Contains("filename=\"90-package-manager-busy\"", firstBoot.VendorData, StringComparison.Ordinal);
        Assert.Contains(" 30", firstBoot.VendorData, StringComparison.Ordinal);

        // The droplet's own vendor data, as the metadata service serves it, is DigitalOcean's: the fault is the machine's.
        Assert.Equal("completed", (await cloud.ActAndWaitAsync(id, """{"type":"power_cycle"}""")).GetProperty("status").GetString());
        Assert.Single(cloud.Machines.SshRefusals);
        Assert.DoesNotContain("90-package-manager-busy", cloud.Machines.BootedFrom(id)!.VendorData, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoseCreateResponses_cuts_the_answer_of_a_create_that_made_its_droplet()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        await cloud.SetFaultsAsync("""{"loseCreateResponses":1}""");

        await Assert.ThrowsAsync<HttpRequestException>(() => cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("lost")));
        var (second, _, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("heard"));

        Assert.Equal(HttpStatusCode.Accepted, second);
        var names = (await cloud.GetAsync("v2/droplets")).Body.GetProperty("droplets").EnumerateArray().Select(d
            => d.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["heard", "lost"], names);
    }

    [Fact]
    public async Task ServerErrorRate_one_answers_every_request_5xx_without_carrying_it_out()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        await cloud.SetFaultsAsync("""{"serverErrorRate":1}""");

        var (status, error, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("refused"));
        await cloud.SetFaultsAsync("{}");

        Assert.InRange((int)status, 500, 504);
        Assert.Equal("server_error", error.GetProperty("id").GetString());
        Assert.Equal(0, (await cloud.GetAsync("v2/droplets")).Body.GetProperty("droplets").GetArrayLength());
    }
}
