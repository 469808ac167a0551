using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.LocalCloud.Api;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.LocalCloud.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>The local cloud's scoped tokens, on its real gate and endpoints in a bare web app (no droplets, no root).</summary>
public sealed class ScopeGateTests : IAsyncLifetime, IDisposable
{
    private const string Full = "full-access-token";
    private const string NoSizes = "no-sizes-token";
    private const string Creator = "droplet-create-token";
    private const string Nothing = "no-scope-token";
    private WebApplication app = null!;
    private HttpClient http = null!;
    private readonly RequestCounter requests = new();

    public async Task InitializeAsync()
    {
        var options = new LocalCloudOptions();
        options.Tokens.Add(Full);
        TokenScopeSpec.AddTo(options.TokenScopes, $"{NoSizes}=regions:read,image:read;{Creator}=droplet:create,ssh_key:read;{Nothing}=", "test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        app = builder.Build();
        var faults = new FaultInjector(new FaultOptions());
        var limiter = new RateLimiter(options.RequestsPerHour, options.RequestsPerMinute, TimeProvider.System);
        ApiGate.Use(app, options.Tokens, options.TokenScopes, limiter, requests, NullLogger.Instance);
        FaultSteps.UseRequestFaults(app, faults);
        FaultEndpoints.Map(app, faults, null!);
        AccountEndpoints.Map(app, new SshKeyStore());

        // Stands in for the droplet create: says what body it received, to show the gate left it readable.
        app.MapPost("/v2/droplets", async (HttpContext c) => await c.Response.WriteAsync(await new StreamReader(c.Request.Body).ReadToEndAsync()));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        http = new HttpClient { BaseAddress = new Uri(address + "/") };
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string token, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_without_the_scope_gets_digitaloceans_403_and_with_it_the_answer()
    {
        var (status, body) = await SendAsync(NoSizes, HttpMethod.Get, "v2/sizes");
        using var error = JsonDocument.Parse(body);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", error.RootElement.GetProperty("id").GetString());
        Assert.Equal("You are not authorized to perform this operation", error.RootElement.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("request_id").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(NoSizes, HttpMethod.Get, "v2/regions")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Full, HttpMethod.Get, "v2/sizes")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("unknown-token", HttpMethod.Get, "v2/sizes")).Status);
    }

    [Fact]
    public async Task A_droplet_create_with_tags_also_needs_tag_create_and_the_body_reaches_the_endpoint()
    {
        const string tagged = """{"name":"b","tags":["cake-domarketplace"],"ssh_keys":["1"]}""";
        const string untagged = """{"name":"b","tags":[],"ssh_keys":["1"]}""";

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(Creator, HttpMethod.Post, "v2/droplets", tagged)).Status);
        Assert.Equal((HttpStatusCode.OK, untagged), await SendAsync(Creator, HttpMethod.Post, "v2/droplets", untagged));
        Assert.Equal((HttpStatusCode.OK, tagged), await SendAsync(Full, HttpMethod.Post, "v2/droplets", tagged));
    }

    [Fact]
    public async Task A_token_with_no_scope_may_use_the_local_clouds_own_endpoints_only()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(Nothing, HttpMethod.Get, "v2/account/keys")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Nothing, HttpMethod.Get, "local-cloud/faults")).Status);
    }

    [Fact]
    public async Task The_gate_counts_every_api_request_it_receives_refused_ones_too_but_not_its_own_endpoints()
    {
        var before = requests.Total;
        await SendAsync(Full, HttpMethod.Get, "v2/regions");
        await SendAsync(NoSizes, HttpMethod.Get, "v2/sizes");
        await SendAsync("unknown-token", HttpMethod.Get, "v2/sizes");
        await SendAsync(Full, HttpMethod.Get, "local-cloud/faults");

        Assert.Equal(3, requests.Total - before);
    }

    [Fact]
    public async Task Every_mapped_v2_endpoint_has_a_row_in_the_scope_table()
    {
        await using var all = WebApplication.CreateSlimBuilder().Build();
        AccountEndpoints.Map(all, new SshKeyStore());
        DropletEndpoints.Map(all, null!, null!);
        ImageEndpoints.Map(all, null!, null!);
        VendorEndpoints.Map(all, null!, null!);

        var mapped = ((IEndpointRouteBuilder)all).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Where(r => r.Contains(" /v2/", StringComparison.Ordinal));

        Assert.Equal(mapped.Order(StringComparer.Ordinal), ScopeTable.Routes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Scoped_tokens_are_read_from_the_option_text_and_bad_ones_name_the_option()
    {
        var tokens = new Dictionary<string, IReadOnlyList<string>>();
        TokenScopeSpec.AddTo(tokens, " a=droplet:read, sizes:read ; b= ", "--token-scopes");

        Assert.Equal(["droplet:read", "sizes:read"], tokens["a"]);
        Assert.Empty(tokens["b"]);
        Assert.StartsWith("--token-scopes takes TOKEN=scope1,scope2",
            Assert.Throws<FormatException>(() => TokenScopeSpec.AddTo(tokens, "droplet:read", "--token-scopes")).Message);
        Assert.StartsWith("LOCAL_CLOUD_TOKEN_SCOPES: 'Droplet Read' is not a DigitalOcean scope name",
            Assert.Throws<FormatException>(() => TokenScopeSpec.AddTo(tokens, "c=Droplet Read", TokenScopeSpec.Variable)).Message);
    }
}
