using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>Four image builds at once in one process against the local cloud: all succeed, no cross-talk.</summary>
[Trait("Category", "Integration")]
public sealed class ParallelBuildTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Four_builds_in_parallel_succeed_with_their_own_logs_and_state()
    {
        var logs = Enumerable.Range(1, 4).Select(_ => new RecordingLog()).ToArray();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            var context = cloud.Context(logs[i]);
            return context.DoBuildImage(s =>
            {
                s.Droplet.Name = $"parallel-{i + 1}";
                s.UpdatePackages = false;
                s.Cleanup.UpdatePackages = false;
                s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
                s.Validation.RefreshPackageIndex = false;
                s.Validation.ReportDirectory = null;
                s.Snapshot.Name = $"parallel-{i + 1}-image";
                s.TestImage = false;
            });
        })));

        Assert.Equal(4, results.Select(r => r.Image.ImageId).Distinct().Count());
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"parallel-{i + 1}-image", results[i].Image.Name);
            var others = Enumerable.Range(1, 4).Where(n => n != i + 1).Select(n => $"[parallel-{n}]");
            Assert.All(others, other => Assert.DoesNotContain(other, logs[i].AllText));
            Assert.Contains($"[parallel-{i + 1}]", logs[i].AllText);
        }

        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
        foreach (var result in results)
        {
            Assert.True(await api.DeleteImageAsync(result.Image.ImageId));
        }

        Assert.Empty(cloud.Leftovers());
    }
}
