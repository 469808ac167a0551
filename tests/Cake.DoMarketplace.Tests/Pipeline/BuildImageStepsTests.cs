using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>DoBuildImage's whole step list on fakes: a build that succeeds, and what it removes and says.</summary>
public sealed class BuildImageStepsTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-steps-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void A_build_runs_every_step_in_order_destroys_its_droplet_and_key_once_and_keeps_the_image()
    {
        var cloud = new FakeBuildCloud(work);

        var result = cloud.Pipeline().Build(FakeBuildCloud.Settings());

        Assert.Equal(FakeBuildCloud.ImageId, result.Image.ImageId);
        Assert.Equal(
            [
                "Delete what crashed builds left: skipped: CleanupOrphans not set",
                "Create build droplet: ok: 9 192.0.2.10 (s-1vcpu-1gb, nyc3)",
                "Install updates: skipped: UpdatePackages = false",
                "Install packages: skipped: none listed",
                "Copy files/ onto /: skipped: no FilesDirectory",
                "Run the app's setup: ok: set up",
                "Install first-boot scripts, first-login script, MOTD: ok",
                "Clean up the image: ok",
                "Check first-boot readiness: ok: 0 warning(s)",
                $"Validate ({Cake.DoMarketplace.ImageRules.ImageChecks.Description}): ok: {result.Validation.Summary}",
                "Power off and snapshot: ok: image 777 in nyc3",
                "Test the image on a new droplet: skipped: TestImage = false",
            ],
            result.Steps.SkipLast(1).Select(s => $"{s.Name}: {s.Result}"));
        Assert.Matches("^Mark the image finished: ok: tag cake-domarketplace-[0-9a-f]{8} removed$", $"{result.Steps[^1].Name}: {result.Steps[^1].Result}");
        Assert.Equal(
            ["droplet action shutdown", "droplet action snapshot", "tag image 777", "delete droplet 9", "delete key 55", "untag image 777"],
            cloud.Calls);
        Assert.Contains("Marketplace image ready: ", cloud.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(cloud.Log.Lines, l => l.Level == Cake.Core.Diagnostics.LogLevel.Error);
    }
}
