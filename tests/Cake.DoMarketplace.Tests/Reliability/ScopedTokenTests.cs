using System.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// Tokens with custom scopes against the local cloud: a missing read scope stops the build before anything exists, a
/// missing create scope names itself and leaves nothing behind, and the README's list is enough for a whole build.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ScopedTokenTests(ScopedTokenCloud cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ScopedTokenCloud>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-scopes-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task A_token_without_a_read_scope_is_refused_with_that_scope_before_anything_is_created()
    {
        var log = new RecordingLog();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DoScopeMissingException>(()
            => cloud.Context(log, work, ScopedTokenCloud.WithoutSizesRead).DoCreateBuildDroplet(s => s.Name = "scope-no-sizes"));

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {error.Message}");
        Assert.Equal(["sizes:read"], error.MissingScopes);
        Assert.StartsWith(
            "The DigitalOcean token lacks the scope sizes:read: the read-only request GET v2/sizes?per_page=200 answered 403 forbidden. Nothing has been "
            + "created.", error.Message);
        Assert.DoesNotContain("Registered temporary SSH key", log.AllText);
        await AssertNothingLeftAsync();
        AssertTokenNowhere(ScopedTokenCloud.WithoutSizesRead, log, error);
    }

    [Fact]
    public async Task A_token_without_droplet_create_names_it_and_the_key_registered_first_is_deleted()
    {
        var log = new RecordingLog();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DoScopeMissingException>(()
            => cloud.Context(log, work, ScopedTokenCloud.WithoutDropletCreate).DoCreateBuildDroplet(s => s.Name = "scope-no-create"));

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {error.Message}");
        Assert.Equal("droplet:create", error.MissingScope);
        Assert.StartsWith("The DigitalOcean token lacks the scope droplet:create (POST v2/droplets answered 403 forbidden, request id ", error.Message);
        Assert.Contains("Registered temporary SSH key", log.AllText);
        Assert.Contains("Deleted temporary SSH key", log.AllText);
        await AssertNothingLeftAsync();
        AssertTokenNowhere(ScopedTokenCloud.WithoutDropletCreate, log, error);
    }

    [Fact]
    public async Task A_build_whose_token_lacks_droplet_update_stops_at_the_shutdown_and_removes_its_droplet_and_key()
    {
        var log = new RecordingLog();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DoScopeMissingException>(()
            => cloud.Context(log, work, ScopedTokenCloud.WithoutDropletUpdate).DoBuildImage(s => Cheap(s, "scope-no-update")));

        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0}s: {error.Message}");
        Assert.Equal("droplet:update", error.MissingScope);
        Assert.Matches(@"^The DigitalOcean token lacks the scope droplet:update \(POST v2/droplets/\d+/actions answered 403 forbidden, request id ",
            error.Message);
        Assert.Contains("Deleted droplet", log.AllText);
        Assert.Contains("Deleted temporary SSH key", log.AllText);
        using (var api = FullAccess())
        {
            Assert.Empty(await api.ListPrivateImagesAsync());
        }

        await AssertNothingLeftAsync();
        AssertTokenNowhere(ScopedTokenCloud.WithoutDropletUpdate, log, error);
    }

    [Fact]
    public async Task The_documented_scopes_are_enough_to_create_and_destroy_a_droplet_and_for_a_whole_build()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work, ScopedTokenCloud.Documented);
        var clock = Stopwatch.StartNew();

        var droplet = context.DoCreateBuildDroplet(s => s.Name = "scope-documented");
        try
        {
            Assert.Equal("ok\n", context.DoRunRemote(droplet, "echo ok").StandardOutput);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }

        var created = clock.Elapsed;
        var result = context.DoBuildImage(s =>
        {
            Cheap(s, "scope-build");
            s.Snapshot.TransferRegions.Add("fra1");
            s.Snapshot.Tags.Add("marketplace:scopes");
        });

        output.WriteLine(
            $"create + destroy {created.TotalSeconds:0.0}s, whole build {(clock.Elapsed - created).TotalSeconds:0.0}s, image {result.Image.ImageId}");
        Assert.Equal(["nyc3", "fra1"], result.Image.Regions);
        using (var api = FullAccess())
        {
            Assert.Contains(await api.ListPrivateImagesAsync(), i => i.Id == result.Image.ImageId && i.Tags.SequenceEqual(["marketplace:scopes"]));
        }

        context.DoDeleteSnapshot(result.Image.ImageId, new DoApiSettings());
        Assert.DoesNotContain("403", log.AllText);
        await AssertNothingLeftAsync();
        AssertTokenNowhere(ScopedTokenCloud.Documented, log, null);
    }

    /// <summary>A build without the slow parts, as the leak test's.</summary>
    private static void Cheap(MarketplaceImageSettings s, string name) => CheapBuild.Apply(s, name);

    private DoApiClient FullAccess() => new(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });

    private async Task AssertNothingLeftAsync()
    {
        using var api = FullAccess();
        Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
        Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
        Assert.Empty(cloud.Leftovers());
    }

    private static void AssertTokenNowhere(string token, RecordingLog log, Exception? error)
    {
        Assert.DoesNotContain(token, log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }
}
