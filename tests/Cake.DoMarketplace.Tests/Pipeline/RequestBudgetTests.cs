using System.Text.RegularExpressions;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>
/// Issue 13: a whole image build makes no more DigitalOcean API requests than Packer 1.6.6 makes for the same build
/// (18: key, droplet, its polls, shutdown and snapshot actions and their polls, image list, deletes). Counted by the
/// local cloud, so any request added to the pipeline shows here, listed.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class RequestBudgetTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    /// <summary>What Packer 1.6.6 makes for the nginx example (docs/benchmarks.md).</summary>
    private const int PackerRequests = 18;

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
    public void A_whole_build_makes_no_more_API_requests_than_Packer()
    {
        var before = cloud.ApiRequestLog.Count;

        var result = cloud.Context(new RecordingLog()).DoBuildImage(s => CheapBuild.Apply(s, "request-budget"));

        var requests = cloud.ApiRequestLog.Skip(before).ToList();
        output.WriteLine($"{requests.Count} API requests:\n{string.Join('\n', requests)}");
        cloud.Context(new RecordingLog()).DoDeleteSnapshot(result.Image.ImageId, new DoApiSettings());
        Assert.Equal(Expected, requests.Where(r => !DropletPoll().IsMatch(r)).Select(Shape));
        Assert.True(requests.Count <= PackerRequests, $"{requests.Count} API requests, Packer makes {PackerRequests}:\n{string.Join('\n', requests)}");
    }

    private static string Shape(string request) => TagPath().Replace(Id().Replace(request, "/{id}"), "/v2/tags/{build tag}/");

    [GeneratedRegex(@"^GET /v2/droplets/\d+$")]
    private static partial Regex DropletPoll();

    [GeneratedRegex(@"/\d+(?=/|$)")]
    private static partial Regex Id();

    [GeneratedRegex(@"/v2/tags/cake-domarketplace-[0-9a-f]+/")]
    private static partial Regex TagPath();
}
