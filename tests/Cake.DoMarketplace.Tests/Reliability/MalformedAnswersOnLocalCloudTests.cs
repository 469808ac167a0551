using System.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// A real DoCreateBuildDroplet while the local cloud spoils one kind of answer on one kind of request: each ends in one
/// clear error or succeeds after a safe retry or look-up — never with two droplets, a droplet or temporary key left
/// behind, or the token in any message.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MalformedAnswersOnLocalCloudTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    private const string Create = "MalformedPaths=POST /v2/droplets";
    private const string Reads = "MalformedPaths=GET /v2/droplets/*";
    private const string LookedUp = "The lost request did create droplet";

    public static TheoryData<string, string, string?, string?> Cases => new()
    {
        // name, faults (LOCAL_CLOUD_FAULTS syntax), expected error text (null: the droplet is made), expected log text
        { "truncated create answer", $"MalformedAnswers=truncated-json,{Create}", null, LookedUp },
        { "truncated droplet read", $"MalformedAnswers=truncated-json,{Reads}", "with JSON that does not parse (200", null },
        { "html 502 on create", $"MalformedAnswers=html-error,{Create}", null, LookedUp },
        { "html 502 on key registration", "MalformedAnswers=html-error,MalformedPaths=POST /v2/account/keys", null,
            "Registering the temporary SSH key gave no answer" },
        { "two html 502 on reads", $"MalformedAnswers=html-error,MalformedCount=2,{Reads}", null, "DigitalOcean API answered 502 BadGateway; retry 2/5" },
        { "wrong content type on create", $"MalformedAnswers=wrong-content-type,{Create}", null, LookedUp },
        { "wrong content type on read", $"MalformedAnswers=wrong-content-type,{Reads}", "with text/plain (200) instead of JSON", null },
        { "missing fields on create", $"MalformedAnswers=missing-fields,{Create}", null, LookedUp },
        { "missing fields on read", $"MalformedAnswers=missing-fields,{Reads}", "with a 'droplet' lacking the required field 'id' (200)", null },
        { "foreign next link", "MalformedAnswers=foreign-next-link", "with a next-page link to another host (evil.example.net)", null },
        { "huge create answer", $"MalformedAnswers=huge-body,{Create}", null, LookedUp },
        { "huge droplet read", $"MalformedAnswers=huge-body,{Reads}", "with more than 16 MiB (200); stopped reading there", null },
    };

    private DoApiClient Api() => new(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });

    private async Task<(int Droplets, int TemporaryKeys)> LeftAsync()
    {
        using var api = Api();
        return ((await api.ListDropletsByTagAsync("cake-domarketplace")).Count,
                (await api.ListSshKeysAsync()).Count(k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_answer_ends_in_one_clear_error_or_a_safe_retry_and_leaves_nothing(string name, string faults, string? failure, string? logged)
    {
        var (error, log, dropletsWhileUp) = await CreateUnderAsync(name, faults);

        if (failure is null)
        {
            Assert.True(error is null, $"{name}: {error}\n{log.AllText}");
            Assert.Equal(1, dropletsWhileUp);
        }
        else
        {
            Assert.Contains(failure, Assert.IsType<DoApiProtocolException>(error).Message, StringComparison.Ordinal);
        }

        if (logged is not null)
        {
            Assert.Contains(logged, log.AllText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_create_whose_answer_and_look_up_both_fail_is_found_by_the_clean_up_and_deleted()
    {
        // The create's answer is a proxy page, and so are the look-up by tag and its five retries (7 answers): the
        // launcher fails, and only its clean-up, looking for the build's tag once more, can find the droplet.
        var (error, log, _) = await CreateUnderAsync("create and look-up spoiled",
            "MalformedAnswers=html-error,MalformedCount=7,MalformedPaths=POST /v2/droplets|GET /v2/droplets?tag_name=*");

        Assert.Contains("GET /v2/droplets?tag_name=", Assert.IsType<DoApiException>(error).Message, StringComparison.Ordinal);
        Assert.Contains("with text/html (502) instead of JSON: a proxy or gateway error page (\"502 Bad Gateway\"); try again later", error!.Message,
            StringComparison.Ordinal);
        Assert.Matches("Deleted droplet [0-9]+", log.AllText);
    }

    /// <summary>Runs DoCreateBuildDroplet (and destroys what it made) under <paramref name="faults"/>; checks nothing is left.</summary>
    private async Task<(Exception? Error, RecordingLog Log, int DropletsWhileUp)> CreateUnderAsync(string name, string faults)
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, cloud.DataDirectory);
        var dropletName = "malformed-" + string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        var dropletsWhileUp = 0;
        await FaultControl.SetAsync(cloud, FaultOptions.Parse(faults));
        try
        {
            var droplet = context.DoCreateBuildDroplet(s => s.Name = dropletName);
            await FaultControl.SetAsync(cloud, new FaultOptions());
            dropletsWhileUp = (await LeftAsync()).Droplets;
            context.DoDestroyDroplet(droplet);
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
        }

        clock.Stop();
        output.WriteLine($"{name}: {(error is null ? "droplet made" : "failed: " + error.Message)} ({clock.Elapsed.TotalSeconds:0.0}s)");
        foreach (
            var line in log.Lines.Select(l => l.Text).Where(t => t.Contains("gave no", StringComparison.Ordinal)
            || t.Contains("; retry ", StringComparison.Ordinal) || t.StartsWith("Deleted", StringComparison.Ordinal)))
        {
            output.WriteLine("  log: " + line);
        }

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(75));
        Assert.Equal((0, 0), await LeftAsync());
        Assert.Empty(cloud.Leftovers());
        Assert.DoesNotContain(LocalCloudFixture.Token, log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalCloudFixture.Token, error?.ToString() ?? string.Empty, StringComparison.Ordinal);
        return (error, log, dropletsWhileUp);
    }
}
