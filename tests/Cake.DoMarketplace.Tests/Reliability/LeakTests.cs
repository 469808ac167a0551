using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// The leak test: 20 image builds, each under a fault drawn at random (seeded), against one local cloud. Afterwards
/// the cloud holds no droplet, no temporary key, and exactly the images of the builds that succeeded; no output of any
/// build, failed or not, contains the token.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeakTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    private static readonly string[] FaultMenu =
    [
        string.Empty,
        "TooManyRequestsRate=0.25",
        "ServerErrorRate=0.2",
        "LoseCreateResponses=1",
        "ErroredActions=snapshot",
        "ErroredActions=shutdown",
        "StuckInNew=true",
        "IgnoreShutdown=true",
        "SnapshotListLag=2",
        "SshRefusedAfterActive=3",
        "ActionDelay=1",
    ];

    [Fact]
    public async Task Twenty_builds_with_random_faults_leave_only_the_successful_images()
    {
        var random = new Random(20261129);
        var succeeded = new List<long>();
        var outcomes = new List<string>();
        var allOutput = new System.Text.StringBuilder();
        for (var build = 1; build <= 20; build++)
        {
            var fault = FaultMenu[random.Next(FaultMenu.Length)];
            var log = new RecordingLog();
            var context = cloud.Context(log, cloud.DataDirectory);
            await FaultControl.SetAsync(cloud, FaultOptions.Parse(fault + (fault.Length > 0 ? "," : string.Empty) + $"Seed={build}"));
            try
            {
                var result = context.DoBuildImage(s =>
                {
                    CheapBuild.Apply(s, $"leak-{build}");
                    // Short only where the droplet never becomes active; elsewhere a loaded machine's slow boot is no fault.
                    s.Droplet.ActiveTimeout = TimeSpan.FromSeconds(fault.StartsWith("StuckInNew", StringComparison.Ordinal) ? 6 : 120);
                });
                succeeded.Add(result.Image.ImageId);
                outcomes.Add($"{build}: [{fault}] ok, image {result.Image.ImageId}");
            }
            catch (Exception e)
            {
                outcomes.Add($"{build}: [{fault}] failed: {e.Message.Split('\n')[0]}");
                allOutput.AppendLine(e.ToString());
            }
            finally
            {
                await FaultControl.SetAsync(cloud, new FaultOptions());
            }

            allOutput.AppendLine(log.AllText);
        }

        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        var report = string.Join("\n", outcomes);
        output.WriteLine(report);
        Assert.True((await api.ListDropletsByTagAsync("cake-domarketplace")).Count == 0, report);
        Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
        Assert.Equal(succeeded.Order(), (await api.ListPrivateImagesAsync()).Select(i => i.Id).Order());
        Assert.InRange(succeeded.Count, 5, 19); // both outcomes happened
        Assert.DoesNotContain(LocalCloudFixture.Token, allOutput.ToString());
        Assert.Empty(cloud.Leftovers());
    }
}
