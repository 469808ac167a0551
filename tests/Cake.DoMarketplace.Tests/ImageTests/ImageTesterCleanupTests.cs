using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Pipeline;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>The image test's droplet clean-up: its failure is reported after the test's own error, never instead of it.</summary>
public sealed class ImageTesterCleanupTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-tester-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task A_test_droplet_that_cannot_be_deleted_after_a_failed_test_leaves_the_tests_error_as_it_was_and_its_key_is_still_deleted()
    {
        var cloud = new FakeBuildCloud(work);
        cloud.Api.GetImageAsync("777", Arg.Any<CancellationToken>()).Returns(
            new DoImage { Id = 777, Name = "fake-image", Distribution = "Debian", Regions = ["nyc3"], Type = "snapshot" });
        cloud.Api.DeleteDropletAsync(FakeBuildCloud.DropletId, Arg.Any<CancellationToken>()).ThrowsAsync(
            new DoApiTransportException("DELETE", "/v2/droplets/9", timedOutAfter: null, outcomeUnknown: true, new HttpRequestException("Connection refused")));
        var tester = new ImageTester(cloud.Api, cloud.Log, (_, _) => Task.FromResult<IRemoteSession>(cloud.Session));

        // The fake session answers the image-test facts with cloud-init's status line: the test fails on its first facts.
        await Assert.ThrowsAsync<FactRecordsException>(() => tester.TestAsync(777, new TestImageSettings { Reboot = false }, CancellationToken.None));

        Assert.Equal(["delete key 55"], cloud.Deletes);
        var lines = cloud.Log.Lines.Select(l => l.Text).ToList();
        Assert.Contains(lines, l => l.StartsWith("Could not delete droplet 9: ", StringComparison.Ordinal)
            && l.Contains("Connection refused", StringComparison.Ordinal));
        var cleanup = lines.FindIndex(l => l.StartsWith("Clean-up 'destroy droplet 9 ", StringComparison.Ordinal)
                                           && l.Contains("failed: Could not remove everything of droplet 9", StringComparison.Ordinal));
        Assert.True(cleanup >= 0, cloud.Log.AllText);
        Assert.StartsWith("1 clean-up(s) failed after this error: ", lines[cleanup + 1], StringComparison.Ordinal);
    }
}
