using System.Net;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud;
using Microsoft.Extensions.Time.Testing;

namespace Cake.DoMarketplace.Tests.LocalCloud.InMemory;

/// <summary>
/// <c>--pace digitalocean</c> on a clock the test moves (<see cref="FakeTimeProvider"/>): the machine's work is done at
/// once, and the droplet and its actions still wait DigitalOcean's time; the rate limits are DigitalOcean's, in windows
/// scaled by the factor. What is asserted is the order of states and the fake time that had to pass, never a wall time.
/// </summary>
public sealed class InMemoryPaceTests
{
    private readonly FakeTimeProvider time = new();

    private Task<InMemoryCloud> StartPacedAsync(double factor = 1) => InMemoryCloud.StartAsync(o =>
    {
        o.Pace = LocalCloudPace.DigitalOcean;
        o.PaceFactor = factor;
        o.Time = time;
    });

    [Fact]
    public async Task A_droplet_stays_new_with_its_create_in_progress_until_digitaloceans_boot_time_has_passed_after_its_machine_is_up()
    {
        await using var cloud = await StartPacedAsync();

        var (status, created, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("paced"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = created.GetProperty("droplet").GetProperty("id").GetInt64();
        var requested = time.GetUtcNow();
        await Until(() => cloud.Machines.Running.Contains(id));

        // The machine is up and the clock has not moved: DigitalOcean would still be booting it.
        var (_, actions, _) = await cloud.GetAsync($"v2/droplets/{id}/actions");
        var create = Assert.Single(actions.GetProperty("actions").EnumerateArray());
        Assert.Equal(("create", "in-progress"), (create.GetProperty("type").GetString(), create.GetProperty("status").GetString()));
        Assert.Equal("new", await DropletStatusAsync(cloud, id));

        time.Advance(TimeSpan.FromSeconds(54));
        Assert.Equal("new", await DropletStatusAsync(cloud, id));

        await AdvanceUntilAsync(cloud, $"v2/droplets/{id}", b => b.GetProperty("droplet").GetProperty("status").GetString() == "active");
        Assert.InRange(time.GetUtcNow() - requested, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(90));
        var action = await cloud.PollAsync($"v2/actions/{create.GetProperty("id").GetInt64()}",
            b => b.GetProperty("action").GetProperty("status").GetString() != "in-progress");
        Assert.Equal("completed", action.GetProperty("action").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Shutdown_power_off_snapshot_and_transfer_each_last_digitaloceans_time_scaled_by_the_factor()
    {
        await using var cloud = await StartPacedAsync(factor: 0.1);
        var (_, created, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("paced-actions"));
        var id = created.GetProperty("droplet").GetProperty("id").GetInt64();
        Assert.InRange(
            await AdvanceUntilAsync(cloud, $"v2/droplets/{id}", b => b.GetProperty("droplet").GetProperty("status").GetString() == "active"),
            TimeSpan.FromSeconds(5.5), TimeSpan.FromSeconds(30));

        // shutdown: the machine stops at once, the action and the droplet's "off" wait 10 s × 0.1.
        var shutdown = await ActAsync(cloud, $"v2/droplets/{id}/actions", """{"type":"shutdown"}""");
        await Until(() => !cloud.Machines.Running.Contains(id));
        Assert.Equal("in-progress", await ActionStatusAsync(cloud, shutdown));
        Assert.Equal("active", await DropletStatusAsync(cloud, id));
        Assert.InRange(await AdvanceUntilAsync(cloud, $"v2/actions/{shutdown}", Completed), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal("off", await DropletStatusAsync(cloud, id));

        // power_off of a droplet already off still takes its 5 s × 0.1.
        var powerOff = await ActAsync(cloud, $"v2/droplets/{id}/actions", """{"type":"power_off"}""");
        Assert.InRange(await AdvanceUntilAsync(cloud, $"v2/actions/{powerOff}", Completed), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(3));

        // snapshot: the image is made at once, listed when the action completes: 1 minute per GB (at least 1 GB) × 0.1.
        var snapshot = await ActAsync(cloud, $"v2/droplets/{id}/actions", """{"type":"snapshot","name":"paced-image"}""");
        await Until(() => cloud.Machines.Snapshots.Count > 0);
        Assert.Equal("in-progress", await ActionStatusAsync(cloud, snapshot));
        Assert.Equal(0, (await cloud.GetAsync($"v2/droplets/{id}/snapshots")).Body.GetProperty("snapshots").GetArrayLength());
        Assert.InRange(await AdvanceUntilAsync(cloud, $"v2/actions/{snapshot}", Completed), TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(30));
        var image = Assert.Single((await cloud.GetAsync($"v2/droplets/{id}/snapshots")).Body.GetProperty("snapshots").EnumerateArray());

        // transfer: the image's 1 minute per GB (at least 1 GB) × 0.1 on the fake clock.
        var imageId = image.GetProperty("id").GetInt64();
        var transfer = await ActAsync(cloud, $"v2/images/{imageId}/actions", """{"type":"transfer","region":"ams3"}""");
        var transferred = await AdvanceUntilAsync(cloud, $"v2/images/{imageId}/actions/{transfer}", Completed);
        Assert.InRange(transferred, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(30));
        Assert.Contains("ams3", (await cloud.GetAsync($"v2/images/{imageId}")).Body.GetProperty("image").GetProperty("regions").EnumerateArray()
            .Select(r => r.GetString()));
    }

    [Fact]
    public async Task At_digitaloceans_pace_the_251st_request_of_a_paced_minute_is_a_429_with_retry_after_and_the_next_minute_admits_again()
    {
        await using var cloud = await InMemoryCloud.StartAsync(o =>
        {
            o.Pace = LocalCloudPace.DigitalOcean;
            o.PaceFactor = 0.1;
            o.Time = time;
            o.RequestsPerMinute = 100_000; // ignored under DigitalOcean's pace: its own 250 per minute apply
        });

        for (var i = 0; i < 250; i++)
        {
            var (ok, _, admitted) = await cloud.GetAsync("v2/regions");
            Assert.Equal(HttpStatusCode.OK, ok);
            Assert.Equal("5000", admitted.Headers.GetValues("ratelimit-limit").Single());
        }

        var (status, body, response) = await cloud.GetAsync("v2/regions");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("too_many_requests", body.GetProperty("id").GetString());
        Assert.Equal("6", response.Headers.GetValues("retry-after").Single()); // a DigitalOcean minute × 0.1
        Assert.Equal("0", response.Headers.GetValues("ratelimit-remaining").Single());

        time.Advance(TimeSpan.FromSeconds(6));
        var (again, _, later) = await cloud.GetAsync("v2/regions");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("4749", later.Headers.GetValues("ratelimit-remaining").Single()); // the paced hour (6 minutes) counts the 251 admitted
    }

    private static bool Completed(JsonElement body) => body.GetProperty("action").GetProperty("status").GetString() == "completed";

    private static async Task<string?> DropletStatusAsync(InMemoryCloud cloud, long id) =>
        (await cloud.GetAsync($"v2/droplets/{id}")).Body.GetProperty("droplet").GetProperty("status").GetString();

    private static async Task<string?> ActionStatusAsync(InMemoryCloud cloud, long actionId) =>
        (await cloud.GetAsync($"v2/actions/{actionId}")).Body.GetProperty("action").GetProperty("status").GetString();

    private static async Task<long> ActAsync(InMemoryCloud cloud, string path, string json)
    {
        var (status, body, _) = await cloud.PostAsync(path, json);
        Assert.True(status == HttpStatusCode.Created, $"{path} answered {status}: {body}");
        return body.GetProperty("action").GetProperty("id").GetInt64();
    }

    /// <summary>Moves the fake clock a step at a time until <paramref name="done"/> holds; returns the fake time it took.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(InMemoryCloud cloud, string path, Func<JsonElement, bool> done)
    {
        var step = TimeSpan.FromMilliseconds(500);
        var start = time.GetUtcNow();
        JsonElement last = default;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var (status, body, _) = await cloud.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            last = body;
            if (done(body))
            {
                return time.GetUtcNow() - start;
            }

            time.Advance(step);
            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"{path} never reached the expected state; last answer: {last}");
    }

    private static async Task Until(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 600 && !condition(); attempt++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "the in-memory machine never got there");
    }
}
