using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>A real local cloud at DigitalOcean's pace × 0.05.</summary>
public sealed class PacedLocalCloud : LocalCloudFixture
{
    protected override void Configure(LocalCloudOptions options)
    {
        options.Pace = LocalCloudPace.DigitalOcean;
        options.PaceFactor = 0.05;
    }
}

/// <summary>
/// <c>--pace digitalocean</c> on real machines: the boot, shutdown and snapshot still happen for real under the paced
/// floor, and the states come in DigitalOcean's order. (The paced times themselves are checked on a fake clock by
/// <c>InMemoryPaceTests</c>; nothing here is timed.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudPaceTests(PacedLocalCloud cloud) : IClassFixture<PacedLocalCloud>
{
    [Fact]
    public async Task A_paced_droplet_boots_for_real_goes_new_active_off_and_its_snapshot_is_listed_once_completed()
    {
        using var http = new HttpClient { BaseAddress = cloud.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalCloudFixture.Token);

        var created = await SendAsync(http, HttpMethod.Post, "v2/droplets",
            """{"name":"paced","region":"nyc3","size":"s-1vcpu-512mb-10gb","image":"debian-12-x64"}""");
        var id = created.GetProperty("droplet").GetProperty("id").GetInt64();
        Assert.Equal("new", created.GetProperty("droplet").GetProperty("status").GetString());

        var active = await PollAsync(http, $"v2/droplets/{id}", b => b.GetProperty("droplet").GetProperty("status").GetString() == "active");
        Assert.NotEmpty(active.GetProperty("droplet").GetProperty("networks").GetProperty("v4").EnumerateArray());
        var actions = await SendAsync(http, HttpMethod.Get, $"v2/droplets/{id}/actions");
        Assert.Equal("completed", Assert.Single(actions.GetProperty("actions").EnumerateArray()).GetProperty("status").GetString());

        await ActAsync(http, id, """{"type":"shutdown"}""");
        Assert.Equal("off", (await SendAsync(http, HttpMethod.Get, $"v2/droplets/{id}")).GetProperty("droplet").GetProperty("status").GetString());

        await ActAsync(http, id, """{"type":"snapshot","name":"paced-snapshot"}""");
        var snapshot = Assert.Single((await SendAsync(http, HttpMethod.Get, $"v2/droplets/{id}/snapshots")).GetProperty("snapshots").EnumerateArray());
        Assert.True(snapshot.GetProperty("size_gigabytes").GetDouble() > 0);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync(new Uri($"v2/droplets/{id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await http.DeleteAsync(new Uri($"v2/images/{snapshot.GetProperty("id").GetInt64()}", UriKind.Relative))).StatusCode);
        Assert.Empty(cloud.Leftovers());
    }

    private static async Task ActAsync(HttpClient http, long id, string json)
    {
        var action = await SendAsync(http, HttpMethod.Post, $"v2/droplets/{id}/actions", json);
        var actionId = action.GetProperty("action").GetProperty("id").GetInt64();
        Assert.Equal("in-progress", action.GetProperty("action").GetProperty("status").GetString());
        var done = await PollAsync(http, $"v2/actions/{actionId}", b => b.GetProperty("action").GetProperty("status").GetString() != "in-progress");
        Assert.Equal("completed", done.GetProperty("action").GetProperty("status").GetString());
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> PollAsync(HttpClient http, string path, Func<JsonElement, bool> done)
    {
        JsonElement last = default;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            last = await SendAsync(http, HttpMethod.Get, path);
            if (done(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException($"{path} never reached the expected state; last answer: {last}");
    }
}
