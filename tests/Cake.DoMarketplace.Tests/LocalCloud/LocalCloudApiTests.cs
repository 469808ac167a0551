using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>The local cloud's API as a plain HTTP client and as our own client see it.</summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudApiTests : IAsyncLifetime, IDisposable
{
    private const string Token = "local-cloud-test-token-0001";
    private LocalCloudServer server = null!;
    private HttpClient http = null!;
    private readonly string data = Directory.CreateTempSubdirectory("cdm-api-").FullName;

    public async Task InitializeAsync()
    {
        var options = new LocalCloudOptions { RequestsPerMinute = 1000, DataDirectory = data };
        options.Tokens.Add(Token);
        options.Tokens.Add("second-token-000000000002");
        server = await LocalCloudServer.StartAsync(options);
        http = new HttpClient { BaseAddress = server.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(data, true);
    }

    /// <summary>The client this class owns; xunit calls this after <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => http.Dispose();

    [Fact]
    public async Task A_missing_or_wrong_token_gets_401_unauthorized_with_the_error_shape()
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseUrl };
        var response = await anonymous.GetAsync("v2/regions");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthorized", body.RootElement.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), body.RootElement.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Keys_are_created_with_201_found_by_fingerprint_and_deleted_with_204()
    {
        var key = SshKeyPair.Generate("curl-user");
        var created = await http.PostAsync("v2/account/keys", Json(new { name = "laptop", public_key = key.PublicKeyLine }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var sshKey = body.RootElement.GetProperty("ssh_key");
        Assert.Equal(key.FingerprintMd5, sshKey.GetProperty("fingerprint").GetString());

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"v2/account/keys/{key.FingerprintMd5}")).StatusCode);
        Assert.Equal((HttpStatusCode)422, (await http.PostAsync("v2/account/keys", Json(new { name = "again", public_key = key.PublicKeyLine }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"v2/account/keys/{sshKey.GetProperty("id").GetInt64()}")).StatusCode);
        var gone = await http.DeleteAsync($"v2/account/keys/{sshKey.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("\"id\":\"not_found\"", await gone.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Collections_page_with_links_and_meta_total()
    {
        var first = JsonDocument.Parse(await http.GetStringAsync("v2/regions?per_page=4"));
        Assert.Equal(4, first.RootElement.GetProperty("regions").GetArrayLength());
        Assert.Equal(10, first.RootElement.GetProperty("meta").GetProperty("total").GetInt32());
        var next = first.RootElement.GetProperty("links").GetProperty("pages").GetProperty("next").GetString();
        Assert.Contains("page=2", next);

        var all = JsonDocument.Parse(await http.GetStringAsync("v2/regions?per_page=500"));
        Assert.Equal(10, all.RootElement.GetProperty("regions").GetArrayLength());
        Assert.False(all.RootElement.GetProperty("links").TryGetProperty("pages", out _));
    }

    [Fact]
    public async Task Rate_limit_headers_count_down_per_token()
    {
        var first = await http.GetAsync("v2/sizes");
        var second = await http.GetAsync("v2/sizes");
        int Remaining(HttpResponseMessage r)
            => int.Parse(r.Headers.GetValues("ratelimit-remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("5000", first.Headers.GetValues("ratelimit-limit").Single());
        Assert.Equal(Remaining(first) - 1, Remaining(second));
        using var other = new HttpClient { BaseAddress = server.BaseUrl };
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "second-token-000000000002");
        Assert.Equal(4999, Remaining(await other.GetAsync("v2/sizes")));
    }

    [Fact]
    public async Task Over_the_per_minute_limit_answers_429_with_retry_after()
    {
        var options = new LocalCloudOptions { RequestsPerMinute = 3, DataDirectory = Path.Combine(data, "limited") };
        options.Tokens.Add(Token);
        await using var limited = await LocalCloudServer.StartAsync(options);
        using var client = new HttpClient { BaseAddress = limited.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v2/regions")).StatusCode);
        }

        var refused = await client.GetAsync("v2/regions");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("0", refused.Headers.GetValues("ratelimit-remaining").Single());
        Assert.True(int.Parse(refused.Headers.GetValues("retry-after").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("too_many_requests", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Our_api_client_reads_regions_sizes_and_keys_from_it()
    {
        using var client = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl });

        var regions = await client.ListRegionsAsync();
        var sizes = await client.ListSizesAsync();
        var key = await client.CreateSshKeyAsync("build", SshKeyPair.Generate("c").PublicKeyLine);

        Assert.Contains(regions, r => r.Slug == "nyc3" && r.Available);
        Assert.Equal("s-1vcpu-512mb-10gb", sizes.OrderBy(s => s.PriceMonthly).First().Slug);
        Assert.Contains(await client.ListSshKeysAsync(), k => k.Id == key.Id);
        Assert.True(await client.DeleteSshKeyAsync(key.Id));
        Assert.NotNull(client.LastRateLimit?.Remaining);
    }

    private static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
