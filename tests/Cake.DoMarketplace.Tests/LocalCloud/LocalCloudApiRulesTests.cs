using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Snapshots;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// The API rules real builds meet, on the real local cloud (sources in docs/local-cloud.md, "The API rules builds
/// meet"): a create answers 202 with <c>status: new</c>, no addresses and its create action linked; one action at a time
/// per droplet, <c>locked</c> while it runs and a 422 "pending event" for another action or a delete; snapshot names may
/// repeat. And the addin copes: its snapshot waits out a pending event.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudApiRulesTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private DoApiClient Client()
        => new(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl, RetryWaitMin = TimeSpan.FromMilliseconds(50) });

    private HttpClient Http()
        => new() { BaseAddress = cloud.BaseUrl, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", LocalCloudFixture.Token) } };

    [Fact]
    public async Task A_create_answers_202_new_unlocked_without_addresses_linking_its_action_and_refuses_actions_until_it_is_up()
    {
        using var api = Client();
        using var http = Http();
        var key = await api.CreateSshKeyAsync("rules-create", SshKeyPair.Generate("rules-create").PublicKeyLine);
        await FaultControl.SetAsync(cloud, new FaultOptions { StuckInNew = true }); // the create never finishes: no race with the boot
        try
        {
            // As DigitalOcean's clients send it: the key id as a JSON number.
            using var created = await http.PostAsync("v2/droplets",
                Json($$"""{"name":"rules-new","region":"nyc3","size":"s-1vcpu-512mb-10gb","image":"debian-12-x64","ssh_keys":[{{key.Id}}]}"""));
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
            using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
            var droplet = body.RootElement.GetProperty("droplet");
            var id = droplet.GetProperty("id").GetInt64();
            Assert.Equal("new", droplet.GetProperty("status").GetString());
            Assert.False(droplet.GetProperty("locked").GetBoolean());
            Assert.Equal(0, droplet.GetProperty("networks").GetProperty("v4").GetArrayLength());
            Assert.Equal(0, droplet.GetProperty("networks").GetProperty("v6").GetArrayLength());
            var link = Assert.Single(body.RootElement.GetProperty("links").GetProperty("actions").EnumerateArray().ToList());
            Assert.Equal("create", link.GetProperty("rel").GetString());
            var action = await api.GetActionAsync(link.GetProperty("id").GetInt64());
            Assert.Equal(("create", "in-progress", id), (action.Type, action.Status, action.ResourceId));
            Assert.EndsWith($"/v2/actions/{action.Id}", link.GetProperty("href").GetString());

            var read = await api.GetDropletAsync(id);
            Assert.Equal(("new", false, 0), (read.Status, read.Locked, read.Networks.V4.Count));
            var refused = await Assert.ThrowsAsync<DoApiException>(() => api.PostDropletActionAsync(id, new DoActionRequest { Type = "power_off" }));
            Assert.Equal(("unprocessable_entity", "Droplet already has a pending event."), (refused.ErrorId, refused.ApiMessage));

            Assert.True(await api.DeleteDropletAsync(id)); // DigitalOcean deletes a droplet that is still being created
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
            await api.DeleteSshKeyAsync(key.Id);
        }
    }

    [Fact]
    public async Task One_action_at_a_time_locked_while_it_runs_the_addin_waits_out_the_pending_event_and_snapshot_names_repeat()
    {
        using var api = Client();
        var key = SshKeyPair.Generate("rules-lock");
        var registered = await api.CreateSshKeyAsync("rules-lock", key.PublicKeyLine);
        var droplet = await LocalDroplets.CreateAsync(api, "rules-lock", "debian-12-x64", registered);
        var snapshots = new List<long>();
        try
        {
            // Each action holds the droplet 3 s: long enough to see the lock, whatever the machine's speed.
            await FaultControl.SetAsync(cloud, new FaultOptions { ActionDelay = TimeSpan.FromSeconds(3) });
            var powerOff = await api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "power_off" });
            Assert.True((await api.GetDropletAsync(droplet.Id)).Locked);
            Assert.True((await Assert.ThrowsAsync<DoApiException>(
                () => api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "power_on" }))).IsPendingEvent);
            Assert.True((await Assert.ThrowsAsync<DoApiException>(() => api.DeleteDropletAsync(droplet.Id))).IsPendingEvent);

            // The addin's snapshot, sent while the power-off runs: its shutdown is refused, then resent once unlocked.
            var log = new RecordingLog();
            var build = new BuildDroplet(droplet.Id, droplet.Name, droplet.PublicIPv4!, "nyc3", "debian-12-x64", "s-1vcpu-512mb-10gb",
                new FakeSession()) { Api = api };
            var first = await new SnapshotMaker(api, log).SnapshotAsync(build, new SnapshotSettings { Name = "rules-same-name" }, CancellationToken.None,
                running: true);
            snapshots.Add(first.ImageId);
            Assert.Contains($"Droplet {droplet.Id} has a pending event; sending shutdown again in 1s, once it is unlocked", log.AllText);
            Assert.Equal("completed", (await api.GetActionAsync(powerOff.Id)).Status);

            // The same name again: DigitalOcean does not refuse it, and neither does the local cloud.
            await FaultControl.SetAsync(cloud, new FaultOptions());
            var again = await api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "snapshot", Name = "rules-same-name" });
            Assert.Equal("completed", (await WaitAsync(api, again.Id)).Status);
            var named = (await api.ListDropletSnapshotsAsync(droplet.Id)).Where(s => s.Name == "rules-same-name").ToList();
            snapshots.AddRange(named.Select(s => s.Id).Where(i => i != first.ImageId));
            Assert.Equal(2, named.Select(s => s.Id).Distinct().Count());
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
            foreach (var snapshot in snapshots)
            {
                await api.DeleteImageAsync(snapshot);
            }

            await DeleteWhenUnlockedAsync(api, droplet.Id);
            await api.DeleteSshKeyAsync(registered.Id);
        }

        Assert.Empty(cloud.Leftovers());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<DoAction> WaitAsync(DoApiClient api, long actionId)
    {
        for (var i = 0; i < 1200; i++)
        {
            var action = await api.GetActionAsync(actionId);
            if (action.Status != "in-progress")
            {
                return action;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"action {actionId} did not finish");
    }

    private static async Task DeleteWhenUnlockedAsync(DoApiClient api, long dropletId)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                await api.DeleteDropletAsync(dropletId);
                return;
            }
            catch (DoApiException e) when (e.IsPendingEvent)
            {
                await Task.Delay(100);
            }
        }
    }
}
