using System.Text.RegularExpressions;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>
/// Issue 13: a whole image build makes only the listed DigitalOcean API requests besides its droplet polls, so any
/// request added to the pipeline fails here, listed. Counted by the local cloud. With a quick boot that is 15–16, under
/// Packer 1.6.6's 18 for the same build; the total depends on how long the droplet boots, so it is the benchmark's
/// figure (docs/benchmarks.md), and here only the polls are bounded: adaptive polling, not a fixed short interval.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class RequestBudgetTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    /// <summary>Droplet polls of a build whose boot, shutdown and snapshot each take up to ~30 s under load
    /// (PollSchedule.Boot/Started: 1 s or 0.5 s growing ×1.5 to 5 s); a fixed 1 s interval would make dozens.</summary>
    private const int MaxDropletPolls = 16;

    /// <summary>Every request but the droplet polls, whose number follows how fast the droplet boots and stops.</summary>
    private static readonly string[] Expected =
    [
        "GET /v2/sizes?per_page=200",
        "GET /v2/images/debian-12-x64",
        "GET /v2/droplets?per_page=1", // the droplet:read pre-flight
        "POST /v2/account/keys",
        "POST /v2/droplets",
        "POST /v2/droplets/{id}/actions", // shutdown
        "POST /v2/droplets/{id}/actions", // snapshot
        "POST /v2/tags/{build tag}/resources", // the image is unfinished
        "DELETE /v2/droplets/{id}",
        "DELETE /v2/account/keys/{id}",
        "DELETE /v2/tags/{build tag}/resources", // finished
    ];

    [Fact]
    public void A_whole_build_makes_only_the_listed_API_requests_besides_its_droplet_polls()
    {
        var before = cloud.ApiRequestLog.Count;

        var result = cloud.Context(new RecordingLog()).DoBuildImage(s => CheapBuild.Apply(s, "request-budget"));

        var requests = cloud.ApiRequestLog.Skip(before).ToList();
        output.WriteLine($"{requests.Count} API requests:\n{string.Join('\n', requests)}");
        cloud.Context(new RecordingLog()).DoDeleteSnapshot(result.Image.ImageId, new DoApiSettings());
        Assert.Equal(Expected, requests.Where(r => !DropletPoll().IsMatch(r)).Select(Shape));
        var polls = requests.Count(r => DropletPoll().IsMatch(r));
        Assert.True(polls <= MaxDropletPolls, $"{polls} droplet polls in one build:\n{string.Join('\n', requests)}");
    }

    private static string Shape(string request) => TagPath().Replace(Id().Replace(request, "/{id}"), "/v2/tags/{build tag}/");

    [GeneratedRegex(@"^GET /v2/droplets/\d+$")]
    private static partial Regex DropletPoll();

    [GeneratedRegex(@"/\d+(?=/|$)")]
    private static partial Regex Id();

    [GeneratedRegex(@"/v2/tags/cake-domarketplace-[0-9a-f]+/")]
    private static partial Regex TagPath();
}
