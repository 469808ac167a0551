using System.Net;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Api;

namespace Cake.DoMarketplace.Tests.LocalCloud.InMemory;

/// <summary>
/// The local cloud's HTTP API end to end through Kestrel on loopback, its machines in memory: the life cycle a build
/// drives, DigitalOcean's 422s, scoped tokens' 403s and the rate limit, in the fast suite (no root).
/// </summary>
public sealed class InMemoryApiTests
{
    [Fact]
    public async Task A_droplet_goes_active_powers_off_snapshots_its_image_is_listed_and_both_are_deleted()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        var id = await cloud.CreateActiveDropletAsync("life-cycle");
        Assert.Contains(id, cloud.Machines.Running);

        var powerOff = await cloud.ActAndWaitAsync(id, """{"type":"power_off"}""");
        Assert.Equal("completed", powerOff.GetProperty("status").GetString());
        var (_, off, _) = await cloud.GetAsync($"v2/droplets/{id}");
        Assert.Equal(("off", false),
            (off.GetProperty("droplet").GetProperty("status").GetString(), off.GetProperty("droplet").GetProperty("locked").GetBoolean()));
        Assert.DoesNotContain(id, cloud.Machines.Running);

        var snapshot = await cloud.ActAndWaitAsync(id, """{"type":"snapshot","name":"life-cycle-image"}""");
        Assert.Equal("completed", snapshot.GetProperty("status").GetString());
        var (_, images, _) = await cloud.GetAsync("v2/images?private=true");
        var image = Assert.Single(images.GetProperty("images").EnumerateArray(), i => i.GetProperty("name").GetString() == "life-cycle-image");
        var imageId = image.GetProperty("id").GetInt64();
        var (_, ofDroplet, _) = await cloud.GetAsync($"v2/droplets/{id}/snapshots");
        Assert.Equal(imageId, Assert.Single(ofDroplet.GetProperty("snapshots").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Contains(imageId, cloud.Machines.Snapshots);

        Assert.Equal(HttpStatusCode.NoContent, (await cloud.SendAsync(HttpMethod.Delete, $"v2/droplets/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.GetAsync($"v2/droplets/{id}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.SendAsync(HttpMethod.Delete, $"v2/images/{imageId}")).Status);
        Assert.DoesNotContain(imageId, cloud.Machines.Snapshots);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.GetAsync($"v2/images/{imageId}")).Status);
    }

    [Fact]
    public async Task A_droplet_refuses_actions_while_new_and_while_one_runs_with_digitaloceans_pending_event()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        long id;
        using (cloud.Machines.Hold())
        {
            var (status, created, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("pending"));
            Assert.Equal(HttpStatusCode.Accepted, status);
            id = created.GetProperty("droplet").GetProperty("id").GetInt64();
            Assert.Equal("new", created.GetProperty("droplet").GetProperty("status").GetString());

            var (refused, error, _) = await cloud.PostAsync($"v2/droplets/{id}/actions", """{"type":"power_off"}""");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
            Assert.Equal(("unprocessable_entity", "Droplet already has a pending event."),
                (error.GetProperty("id").GetString(), error.GetProperty("message").GetString()));
        }

        await cloud.PollAsync($"v2/droplets/{id}", b => b.GetProperty("droplet").GetProperty("status").GetString() == "active");
        using (cloud.Machines.Hold())
        {
            var (started, _, _) = await cloud.PostAsync($"v2/droplets/{id}/actions", """{"type":"shutdown"}""");
            Assert.Equal(HttpStatusCode.Created, started);
            var (_, locked, _) = await cloud.GetAsync($"v2/droplets/{id}");
            Assert.True(locked.GetProperty("droplet").GetProperty("locked").GetBoolean());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await cloud.PostAsync($"v2/droplets/{id}/actions", """{"type":"power_off"}""")).Status);
            var (deleteRefused, error, _) = await cloud.SendAsync(HttpMethod.Delete, $"v2/droplets/{id}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, deleteRefused);
            Assert.Equal("Droplet already has a pending event.", error.GetProperty("message").GetString());
        }

        var off = await cloud.PollAsync($"v2/droplets/{id}", b => !b.GetProperty("droplet").GetProperty("locked").GetBoolean());
        Assert.Equal("off", off.GetProperty("droplet").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await cloud.SendAsync(HttpMethod.Delete, $"v2/droplets/{id}")).Status);
    }

    [Theory]
    [InlineData("my_droplet", "", "Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)")]
    [InlineData("ok", ",\"tags\":[\"env prod\"]", "Tag name 'env prod' is invalid: only letters, numbers, colons, dashes and underscores are allowed.")]
    public async Task A_create_breaking_digitaloceans_rules_is_a_422_and_makes_nothing(string name, string extra, string message)
    {
        await using var cloud = await InMemoryCloud.StartAsync();

        var (status, error, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody(name, extra));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(("unprocessable_entity", message), (error.GetProperty("id").GetString(), error.GetProperty("message").GetString()));
        Assert.Equal(0, (await cloud.GetAsync("v2/droplets")).Body.GetProperty("droplets").GetArrayLength());
        Assert.Empty(cloud.Machines.Running);
    }

    [Fact]
    public async Task User_data_over_64_KiB_is_a_422_and_64_KiB_is_accepted()
    {
        await using var cloud = await InMemoryCloud.StartAsync();
        var limit = new string('x', 64 * 1024);

        var (over, error, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("big", $",\"user_data\":\"{limit}y\""));
        var (at, _, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("fits", $",\"user_data\":\"{limit}\""));

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "User data is limited to 64 KiB."), (over, error.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, at);
    }

    [Fact]
    public async Task Scoped_tokens_get_403_outside_their_scopes_and_the_answer_inside_them()
    {
        const string Reader = "reader";
        const string Creator = "creator";
        await using var cloud = await InMemoryCloud.StartAsync(o =>
            TokenScopeSpec.AddTo(o.TokenScopes, $"{Reader}=droplet:read;{Creator}=droplet:create,droplet:read", "test"));

        var (readerCreate, forbidden, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("scoped"), Reader);
        var (taggedCreate, _, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("scoped", ",\"tags\":[\"web\"]"), Creator);
        var (create, created, _) = await cloud.PostAsync("v2/droplets", InMemoryCloud.CreateBody("scoped"), Creator);
        var (readerRead, _, _) = await cloud.GetAsync($"v2/droplets/{created.GetProperty("droplet").GetProperty("id").GetInt64()}", Reader);
        var (readerSizes, _, _) = await cloud.GetAsync("v2/sizes", Reader);

        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (readerCreate, forbidden.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, taggedCreate); // tag:create is needed to tag at creation
        Assert.Equal(HttpStatusCode.Accepted, create);
        Assert.Equal(HttpStatusCode.OK, readerRead);
        Assert.Equal(HttpStatusCode.Forbidden, readerSizes);
        Assert.Equal(1, (await cloud.GetAsync("v2/droplets")).Body.GetProperty("droplets").GetArrayLength());
    }

    [Fact]
    public async Task Over_the_per_minute_limit_the_api_answers_429_with_retry_after_and_counts_it()
    {
        await using var cloud = await InMemoryCloud.StartAsync(o => o.RequestsPerMinute = 3);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            var (status, body, response) = await cloud.GetAsync("v2/regions");
            statuses.Add(status);
            last = response;
            if (status == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("too_many_requests", body.GetProperty("id").GetString());
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.Contains("retry-after"));
        Assert.Equal("0", last.Headers.GetValues("ratelimit-remaining").Single());
        Assert.Equal((4L, 1L), (cloud.Server.ApiRequests, cloud.Server.TooManyRequestsAnswered));
    }
}
