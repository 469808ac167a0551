using System.Net;
using System.Text.Json;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Api;

public sealed class DoApiClientTests : IAsyncLifetime
{
    private const string Token = "dop_v1_testtoken0123456789abcdef0123456789abcdef0123456789abcdef";
    private CannedApiServer server = null!;

    public async Task InitializeAsync() => server = await CannedApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private DoApiClient Client(RecordingLog? log = null, int retries = 3) => new(
        new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl, MaxRetries = retries, RetryWaitMin = TimeSpan.FromMilliseconds(10),
            RetryWaitMax = TimeSpan.FromMilliseconds(50) },
        log);

    [Fact]
    public async Task Sends_the_bearer_token_and_reads_a_droplet_with_its_public_address()
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(200, """
            {"droplet":{"id":42,"name":"build","status":"active","locked":false,"size_slug":"s-1vcpu-512mb-10gb",
             "region":{"slug":"nyc3","name":"New York 3","sizes":[],"available":true,"features":[]},
             "networks":{"v4":[{"ip_address":"10.10.0.2","netmask":"255.255.0.0","gateway":"","type":"private"},
                               {"ip_address":"203.0.113.7","netmask":"255.255.240.0","gateway":"203.0.113.1","type":"public"}],"v6":[]},
             "snapshot_ids":[7,8],"tags":["a"]}}
            """));
        using var client = Client();

        var droplet = await client.GetDropletAsync(42);

        Assert.Equal("active", droplet.Status);
        Assert.Equal("203.0.113.7", droplet.PublicIPv4);
        Assert.Equal([7L, 8L], droplet.SnapshotIds);
        Assert.Equal($"Bearer {Token}", server.Requests.Single().Authorization);
    }

    [Fact]
    public async Task Create_droplet_sends_snake_case_json_numeric_image_and_key_ids_and_fingerprints_as_strings()
    {
        server.On("POST", "/v2/droplets",
            new CannedResponse(202,
            """{"droplet":{"id":7,"name":"b","status":"new","locked":false},"links":{"actions":[{"id":1,"rel":"create","href":"x"}]}}"""));
        using var client = Client();

        var created = await client.CreateDropletAsync(new DoDropletCreateRequest
        {
            Name = "b", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "123456", SshKeys = ["512190", "3b:16:e4:bf:8b:00:8b:b8:59:8c:a9:d3:f0:19:fa:45"],
            Tags = ["t"], Monitoring = false, WithDropletAgent = false,
        });

        Assert.Equal(7, created.Id);
        // As DigitalOcean's OpenAPI example, godo and Terraform send them: ids as numbers, fingerprints as strings.
        Assert.Equal(
            """{"name":"b","region":"nyc3","size":"s-1vcpu-512mb-10gb","image":123456,"ssh_keys":[512190,"3b:16:e4:bf:8b:00:8b:b8:59:8c:a9:d3:f0:19:fa:"""
                + """45"],"backups":false,"ipv6":false,"monitoring":false,"with_droplet_agent":false,"tags":["t"]}""",
            server.Requests.Single().Body);
    }

    [Theory]
    [InlineData(null, null, ",\"tags\":[]}")]
    [InlineData(true, null, ",\"with_droplet_agent\":true,\"tags\":[]}")]
    [InlineData(false, true, ",\"monitoring\":true,\"with_droplet_agent\":false,\"tags\":[]}")]
    public async Task The_agents_are_sent_only_when_set_so_an_unset_one_is_DigitalOceans_default(bool? agent, bool? monitoring, string ending)
    {
        server.On("POST", "/v2/droplets", new CannedResponse(202, """{"droplet":{"id":7,"name":"b","status":"new","locked":false},"links":{"actions":[]}}"""));
        using var client = Client();

        await client.CreateDropletAsync(
            new DoDropletCreateRequest { Name = "b", Region = "nyc3", Size = "s-1vcpu-1gb", Image = "debian-12-x64", WithDropletAgent = agent,
            Monitoring = monitoring });

        Assert.Equal(
            """{"name":"b","region":"nyc3","size":"s-1vcpu-1gb","image":"debian-12-x64","ssh_keys":[],"backups":false,"ipv6":false""" + ending,
            server.Requests.Single().Body);
    }

    [Fact]
    public async Task Follows_links_pages_next_on_its_own_base_address_also_when_they_name_DigitalOceans_host()
    {
        // A proxy at DIGITALOCEAN_API_URL may pass DigitalOcean's links on unchanged: followed, but on our own address.
        server.On("GET", "/v2/regions",
            new CannedResponse(200,
                """{"regions":[{"slug":"nyc1","available":true}],"links":{"pages":{"next":"https:"""
                    + """//api.digitalocean.com/v2/regions?page=2&per_page=1","last":"https://api.digitalocean.com/v2/regions?page=2&per_page=1"}},"meta":"""
                    + """{"total":2}}"""),
            new CannedResponse(200,
                """{"regions":[{"slug":"ams3","available":true}],"links":{"pages":{"prev":"{base}/v2/regions?page=1"}},"meta":{"total":2}}"""));
        using var client = Client();

        var regions = await client.ListRegionsAsync();

        Assert.Equal(["nyc1", "ams3"], regions.Select(r => r.Slug));
        var requests = server.RequestsTo("GET", "/v2/regions");
        Assert.Equal(2, requests.Count);
        Assert.Contains("per_page=200", requests[0].PathAndQuery);
        Assert.Equal("/v2/regions?page=2&per_page=1", requests[1].PathAndQuery);
    }

    [Fact]
    public async Task An_error_response_becomes_one_exception_with_status_id_message_and_request_id_but_no_token()
    {
        server.On("POST", "/v2/droplets",
            new CannedResponse(422, """{"id":"unprocessable_entity","message":"Size is not available in this region.","request_id":"req-123"}"""));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DoApiException>(()
            => client.CreateDropletAsync(new DoDropletCreateRequest { Name = "x", Region = "nyc1", Size = "huge", Image = "debian-12-x64" }));

        Assert.Equal((HttpStatusCode)422, error.StatusCode);
        Assert.Equal("unprocessable_entity", error.ErrorId);
        Assert.Equal("Size is not available in this region.", error.ApiMessage);
        Assert.Equal("req-123", error.RequestId);
        Assert.Contains("POST /v2/droplets", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public async Task Request_id_falls_back_to_the_header_and_404_is_recognised()
    {
        server.On("GET", "/v2/images/nope",
            new CannedResponse(404, """{"id":"not_found","message":"The resource you were accessing could not be found."}""", new Dictionary<string,
            string> { ["x-request-id"] = "hdr-9" }));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DoApiException>(() => client.GetImageAsync("nope"));

        Assert.True(error.IsNotFound);
        Assert.Equal("hdr-9", error.RequestId);
    }

    [Fact]
    public async Task Reads_and_exposes_the_rate_limit_headers()
    {
        var reset = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        server.On("GET", "/v2/sizes",
            new CannedResponse(200, """{"sizes":[{"slug":"s-1vcpu-512mb-10gb","price_monthly":4,"available":true,"regions":["nyc3"]}]}""",
            new Dictionary<string,
                string> { ["ratelimit-limit"] = "5000", ["ratelimit-remaining"] = "4321",
                ["ratelimit-reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        using var client = Client();

        Assert.Null(client.LastRateLimit);
        var sizes = await client.ListSizesAsync();

        Assert.Equal(4m, sizes.Single().PriceMonthly);
        Assert.Equal(5000, client.LastRateLimit!.Limit);
        Assert.Equal(4321, client.LastRateLimit.Remaining);
        Assert.Equal(reset, client.LastRateLimit.ResetsAt!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Retries_a_get_after_429_and_5xx_honouring_retry_after()
    {
        server.On("GET", "/v2/actions/5",
            new CannedResponse(429, """{"id":"too_many_requests","message":"API Rate limit exceeded."}""", new Dictionary<string,
                string> { ["retry-after"] = "0", ["ratelimit-remaining"] = "0" }),
            new CannedResponse(503, """{"id":"service_unavailable","message":"Try again."}"""),
            new CannedResponse(200, """{"action":{"id":5,"status":"completed","type":"snapshot"}}"""));
        var log = new RecordingLog();
        using var client = Client(log);

        var action = await client.GetActionAsync(5);

        Assert.True(action.IsCompleted);
        Assert.Equal(3, server.RequestsTo("GET", "/v2/actions/5").Count);
        Assert.Contains("429", log.AllText);
    }

    [Fact]
    public async Task Never_retries_a_create_after_a_server_error()
    {
        server.On("POST", "/v2/droplets", new CannedResponse(500, """{"id":"server_error","message":"Unexpected server-side error"}"""));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DoApiException>(()
            => client.CreateDropletAsync(new DoDropletCreateRequest { Name = "x", Region = "nyc1", Size = "s", Image = "i" }));

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Single(server.RequestsTo("POST", "/v2/droplets"));
    }

    [Fact]
    public async Task Retries_tagging_after_a_server_error_as_tagging_twice_is_harmless()
    {
        server.On("POST", "/v2/tags/cake-domarketplace-0a1b2c3d/resources",
            new CannedResponse(502, """{"id":"bad_gateway","message":"Bad gateway"}"""),
            new CannedResponse(204, string.Empty));
        using var client = Client();

        await client.TagResourcesAsync("cake-domarketplace-0a1b2c3d", [new DoTaggedResource("42", "image")]);

        Assert.Equal(2, server.RequestsTo("POST", "/v2/tags/cake-domarketplace-0a1b2c3d/resources").Count);
    }

    [Fact]
    public async Task Deletes_answer_204_and_treat_404_as_already_gone()
    {
        server.On("DELETE", "/v2/droplets/1", new CannedResponse(204));
        server.On("DELETE", "/v2/droplets/2", new CannedResponse(404, """{"id":"not_found","message":"gone"}"""));
        using var client = Client();

        Assert.True(await client.DeleteDropletAsync(1));
        Assert.False(await client.DeleteDropletAsync(2));
    }

    [Fact]
    public async Task Snapshot_ids_may_be_strings_or_numbers()
    {
        server.On("GET", "/v2/snapshots",
            new CannedResponse(200,
            """{"snapshots":[{"id":"6372321","name":"a","regions":["nyc3"],"resource_id":"200","resource_type":"droplet"}],"meta":{"total":1}}"""));
        server.On("GET", "/v2/droplets/200/snapshots",
            new CannedResponse(200, """{"snapshots":[{"id":6372321,"name":"a","regions":["nyc3"]}],"meta":{"total":1}}"""));
        using var client = Client();

        Assert.Equal(6372321, (await client.ListSnapshotsAsync()).Single().Id);
        Assert.Equal(6372321, (await client.ListDropletSnapshotsAsync(200)).Single().Id);
        Assert.Contains("resource_type=droplet", server.RequestsTo("GET", "/v2/snapshots").Single().PathAndQuery);
    }

    [Fact]
    public async Task Image_transfer_posts_a_transfer_action()
    {
        server.On("POST", "/v2/images/9/actions", new CannedResponse(201, """{"action":{"id":77,"status":"in-progress","type":"transfer"}}"""));
        server.On("GET", "/v2/images/9/actions/77", new CannedResponse(200, """{"action":{"id":77,"status":"completed","type":"transfer"}}"""));
        using var client = Client();

        var action = await client.TransferImageAsync(9, "fra1");
        var done = await client.GetImageActionAsync(9, action.Id);

        Assert.True(done.IsCompleted);
        Assert.Contains("\"type\":\"transfer\"", server.RequestsTo("POST", "/v2/images/9/actions").Single().Body);
        Assert.Contains("\"region\":\"fra1\"", server.RequestsTo("POST", "/v2/images/9/actions").Single().Body);
    }

    [Fact]
    public void Credentials_come_from_settings_or_the_environment_and_bad_tokens_are_refused_by_name()
    {
        var env = new Dictionary<string, string?> { ["DIGITALOCEAN_ACCESS_TOKEN"] = Token, ["DIGITALOCEAN_API_URL"] = "http://127.0.0.1:9999" };
        var options = DoApiCredentials.Resolve(null, null, n => env.GetValueOrDefault(n), "Settings.Token");
        Assert.Equal(Token, options.Token);
        Assert.Equal("http://127.0.0.1:9999/", options.BaseUrl.ToString());

        var missing = Assert.Throws<DoSettingsException>(() => DoApiCredentials.Resolve(null, null, _ => null, "BuildDropletSettings.Token"));
        Assert.Contains("BuildDropletSettings.Token", missing.Message);
        Assert.Contains("DIGITALOCEAN_TOKEN", missing.Message);

        var malformed = Assert.Throws<DoSettingsException>(()
            => DoApiCredentials.Resolve("dop_v1 has spaces in it", null, _ => null, "BuildDropletSettings.Token"));
        Assert.Contains("malformed", malformed.Message);
        Assert.DoesNotContain("has spaces", malformed.Message);
    }

    [Fact]
    public async Task Clients_of_one_token_share_one_rate_limit_budget()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds();
        server.On("GET", "/v2/regions",
            new CannedResponse(200, """{"regions":[]}""", new Dictionary<string,
            string> { ["ratelimit-limit"] = "5000", ["ratelimit-remaining"] = "0",
            ["ratelimit-reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        server.On("GET", "/v2/sizes", new CannedResponse(200, """{"sizes":[]}"""));
        var log = new RecordingLog();
        using var first = Client(log);
        using var second = Client(log);

        await first.ListRegionsAsync();
        Assert.Equal(0, second.LastRateLimit!.Remaining);
        await second.ListSizesAsync();

        Assert.Contains("rate limit spent for this token; waiting", log.AllText);
    }
}
