using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Api;

/// <summary>A token with custom scopes: every call's 403 names its scope, the pre-flight names all missing read scopes.</summary>
public sealed class ScopeErrorTests : IAsyncLifetime
{
    private const string Token = "dop_v1_scopetesttoken0123456789abcdef0123456789abcdef0123456789ab";
    private const string Forbidden = """{"id":"forbidden","message":"You are not authorized to perform this operation","request_id":"req-403"}""";
    private CannedApiServer server = null!;

    public async Task InitializeAsync() => server = await CannedApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private DoApiClient Client() => new(new DoApiOptions
    {
        Token = Token, BaseUrl = server.BaseUrl, MaxRetries = 2, RetryWaitMin = TimeSpan.FromMilliseconds(10), RetryWaitMax = TimeSpan.FromMilliseconds(20),
    });

    /// <summary>Every call of the client but the Vendor API's and the probe, with the scope DigitalOcean's reference gives it.</summary>
    private static readonly (string Call, Func<IDoApiClient, Task> Send, string Scope)[] Calls =
    [
        ("CreateSshKeyAsync", c => c.CreateSshKeyAsync("k", "ssh-ed25519 AAAA"), "ssh_key:create"),
        ("ListSshKeysAsync", c => c.ListSshKeysAsync(), "ssh_key:read"),
        ("DeleteSshKeyAsync", c => c.DeleteSshKeyAsync(1), "ssh_key:delete"),
        ("CreateDropletAsync", c => c.CreateDropletAsync(new DoDropletCreateRequest { Name = "b", Region = "nyc3", Size = "s", Image = "debian-12-x64" }),
            "droplet:create"),
        ("GetDropletAsync", c => c.GetDropletAsync(1), "droplet:read"),
        ("ListDropletsByTagAsync", c => c.ListDropletsByTagAsync("t"), "droplet:read"),
        ("DeleteDropletAsync", c => c.DeleteDropletAsync(1), "droplet:delete"),
        ("PostDropletActionAsync", c => c.PostDropletActionAsync(1, new DoActionRequest { Type = "shutdown" }), "droplet:update"),
        ("GetActionAsync", c => c.GetActionAsync(1), "actions:read"),
        ("GetDropletActionAsync", c => c.GetDropletActionAsync(1, 2), "droplet:read"),
        ("ListDropletSnapshotsAsync", c => c.ListDropletSnapshotsAsync(1), "droplet:read"),
        ("ListSnapshotsAsync", c => c.ListSnapshotsAsync(), "image:read"),
        ("GetImageAsync", c => c.GetImageAsync("debian-12-x64"), "image:read"),
        ("ListPrivateImagesAsync", c => c.ListPrivateImagesAsync(), "image:read"),
        ("DeleteImageAsync", c => c.DeleteImageAsync(1), "image:delete"),
        ("TransferImageAsync", c => c.TransferImageAsync(1, "fra1"), "image:create"),
        ("GetImageActionAsync", c => c.GetImageActionAsync(1, 2), "image:read"),
        ("ListRegionsAsync", c => c.ListRegionsAsync(), "regions:read"),
        ("ListSizesAsync", c => c.ListSizesAsync(), "sizes:read"),
        ("CreateTagAsync", c => c.CreateTagAsync("t"), "tag:create"),
        ("TagResourcesAsync", c => c.TagResourcesAsync("t", [new DoTaggedResource("1", "image")]), "tag:create"),
        ("UntagResourcesAsync", c => c.UntagResourcesAsync("t", [new DoTaggedResource("1", "image")]), "tag:delete"),
    ];

    [Fact]
    public async Task Every_call_answered_403_names_its_scope_once_without_retrying_and_never_the_token()
    {
        server.Fallback = new CannedResponse(403, Forbidden);
        using var client = Client();
        var covered = typeof(IDoApiClient).GetMethods().Select(m => m.Name).Except(
            ["get_LastRateLimit", "get_BaseUrl", "UpdateMarketplaceAppAsync", "FindMissingReadScopesAsync"]);
        Assert.Equal(covered.Order(StringComparer.Ordinal), Calls.Select(c => c.Call).Order(StringComparer.Ordinal));

        foreach (var (call, send, scope) in Calls)
        {
            var before = server.Requests.Count;
            var error = await Assert.ThrowsAsync<DoScopeMissingException>(() => send(client));

            Assert.True(scope == error.MissingScope, $"{call}: {error.MissingScope}");
            Assert.StartsWith(
                $"The DigitalOcean token lacks the scope {scope} ({error.Method} {error.Path.TrimStart('/')} answered 403 forbidden, request id req-403).",
                error.Message);
            Assert.Equal(1, server.Requests.Count - before);
            Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
            if (call != "GetActionAsync") // a build follows its actions at the droplet's address (droplet:read): no build needs actions:read
            {
                Assert.Contains(scope, DoApiScopes.Build.Select(b => b.Scope));
            }
        }
    }

    [Fact]
    public async Task A_droplet_create_refused_403_says_which_scopes_and_what_to_do()
    {
        server.On("POST", "/v2/droplets", new CannedResponse(403, Forbidden.Replace("You are", Token + " is", StringComparison.Ordinal)));
        using var client = Client();

        var error = await Assert.ThrowsAsync<DoScopeMissingException>(()
            => client.CreateDropletAsync(new DoDropletCreateRequest { Name = "b", Image = "debian-12-x64" }));

        Assert.Equal(
            "The DigitalOcean token lacks the scope droplet:create (POST v2/droplets answered 403 forbidden, request id req-403). " +
            "Creating a droplet with tags also needs tag:create, and with SSH keys ssh_key:read. " +
            "Create a token with custom scopes including droplet:create and the others a build needs (see the README list: regions:read, sizes:read, " +
            "image:read, droplet:read, ssh_key:read, ssh_key:create, ssh_key:delete, droplet:create, droplet:update, droplet:delete, " +
            "image:create, image:delete, tag:create, tag:delete), or a full-access token.",
            error.Message);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("forbidden", error.ErrorId);
        Assert.IsAssignableFrom<DoApiException>(error);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ApiMessage!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_403_from_the_vendor_api_stays_a_plain_api_error()
    {
        server.Fallback = new CannedResponse(403, Forbidden);
        using var client = Client();

        var error = await Assert.ThrowsAsync<DoApiException>(()
            => client.UpdateMarketplaceAppAsync("app", new Dictionary<string, object?> { ["imageId"] = 1 }));

        Assert.IsNotType<DoScopeMissingException>(error);
        Assert.Contains("failed with 403 forbidden", error.Message);
    }

    [Fact]
    public async Task The_probe_finds_every_missing_read_scope_and_the_preflight_error_lists_them_all()
    {
        server.Fallback = new CannedResponse(200, """{"items":[],"links":{},"meta":{"total":0}}""");
        server.On("GET", "/v2/sizes", new CannedResponse(403, Forbidden));
        server.On("GET", "/v2/regions", new CannedResponse(403, Forbidden));
        server.On("GET", "/v2/account/keys", new CannedResponse(403, Forbidden));
        using var client = Client();

        var missing = await client.FindMissingReadScopesAsync(DoApiScopes.BuildReadScopes);
        var error = DoScopeMissingException.ForPreflight(missing);

        Assert.Equal(["regions:read", "sizes:read", "ssh_key:read"], missing);
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Equal(DoApiScopes.ReadProbes.Count, server.Requests.Count);
        Assert.Equal(missing, error.MissingScopes);
        Assert.StartsWith(
            "The DigitalOcean token lacks the scopes regions:read, sizes:read, ssh_key:read: the read-only requests GET v2/regions?per_page=1, " +
            "GET v2/sizes?per_page=1, GET v2/account/keys?per_page=1 answered 403 forbidden. Nothing has been created. " +
            "Create a token with custom scopes including regions:read, sizes:read, ssh_key:read and the others a build needs (see the README list: ",
            error.Message);
    }

    [Fact]
    public async Task A_full_access_token_lacks_no_read_scope()
    {
        server.Fallback = new CannedResponse(200, """{"links":{},"meta":{"total":0}}""");
        using var client = Client();

        Assert.Empty(await client.FindMissingReadScopesAsync(DoApiScopes.BuildReadScopes));
    }

    [Fact]
    public async Task A_scope_an_earlier_answer_proved_is_not_probed_again()
    {
        server.Fallback = new CannedResponse(200, """{"sizes":[],"regions":[],"links":{},"meta":{"total":0}}""");
        using var client = Client();
        await client.ListSizesAsync();
        await client.ListRegionsAsync();
        var before = server.Requests.Count;

        Assert.Empty(await client.FindMissingReadScopesAsync(DoApiScopes.BuildReadScopes));

        Assert.Equal(DoApiScopes.BuildReadScopes.Count - 2, server.Requests.Count - before);
        Assert.DoesNotContain(server.Requests.Skip(before), r => r.PathAndQuery.Contains("sizes", StringComparison.Ordinal)
            || r.PathAndQuery.Contains("regions", StringComparison.Ordinal));
    }

    [Fact]
    public void The_read_probes_cover_exactly_the_read_scopes_a_build_needs()
    {
        Assert.Equal(
            DoApiScopes.Build.Select(b => b.Scope).Where(s => s.EndsWith(":read", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            DoApiScopes.ReadProbes.Select(p => p.Scope).Order(StringComparer.Ordinal));
        Assert.All(DoApiScopes.ReadProbes, p => Assert.Equal(p.Scope, DoApiScopes.Find("GET", p.Probe)?.Scope));
    }

    [Theory]
    [InlineData("GET", "/v2/droplets?page=2&per_page=200", "droplet:read")]
    [InlineData("GET", "v2/droplets/42", "droplet:read")]
    [InlineData("POST", "v2/droplets/42/actions", "droplet:update")]
    [InlineData("GET", "v2/images/5/actions/7", "image:read")]
    [InlineData("POST", "v2/images/5/actions", "image:create")]
    [InlineData("DELETE", "v2/tags/cake-domarketplace/resources", "tag:delete")]
    [InlineData("PATCH", "api/v1/vendor-portal/apps/x", null)]
    [InlineData("GET", "v2/volumes", null)]
    public void The_scope_table_maps_method_and_path_to_the_scope(string method, string path, string? scope)
    {
        Assert.Equal(scope, DoApiScopes.Find(method, path)?.Scope);
    }

    [Fact]
    public void The_readme_lists_exactly_the_scopes_a_build_needs()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var section = readme.SkipWhile(l => !l.StartsWith("### Token scopes", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith('#')).ToList();
        var listed = section.Where(l => l.StartsWith("| `", StringComparison.Ordinal)).Select(l => l.Split('`')[1]).ToList();

        Assert.Equal(DoApiScopes.Build.Select(b => b.Scope), listed);
    }
}
