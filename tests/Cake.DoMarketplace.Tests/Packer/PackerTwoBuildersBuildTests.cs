using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;
using Xunit.Abstractions;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>DoBuildPackerTemplates on the local cloud: examples/packer-two-builders, one Debian 12 and one Debian 13 image built at once.</summary>
[Trait("Category", "Integration")]
public sealed class PackerTwoBuildersBuildTests(LocalCloudFixture cloud, ITestOutputHelper output) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-packer-two-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task The_two_builder_example_builds_both_images_at_once_each_with_its_build_name_and_its_provisioners()
    {
        var log = new RecordingLog();
        var template = Path.Combine(RepositoryPaths.Root, "examples", "packer-two-builders", "template.json");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = cloud.Context(log, work).DoBuildPackerTemplates(template, s =>
        {
            s.Builds.MaxParallel = 2;
            s.Cleanup.UpdatePackages = false;
            s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
            s.Validation.RefreshPackageIndex = false;
            s.Validation.ReportDirectory = null;
            s.TestImage = false;
        });

        output.WriteLine($"DoBuildPackerTemplates took {clock.Elapsed.TotalSeconds:0.0}s");
        output.WriteLine(log.AllText);
        Assert.Equal(["debian-12", "debian-13"], result.Variants.Select(v => v.Name));
        Assert.All(result.Variants, v => Assert.Equal(VariantStatus.Succeeded, v.Status));
        Assert.Matches(@"^hello-debian-12-\d{10}$", result.Variants[0].Image!.Image.Name);
        Assert.Matches(@"^hello-debian-13-\d{10}$", result.Variants[1].Image!.Image.Name);
        Assert.Contains(log.Lines, l => l.Text.StartsWith("[debian-12] ", StringComparison.Ordinal)
            && l.Text.Contains("hello: hello debian-12 on Debian 12 (PACKER_BUILD_NAME=debian-12)", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Text.StartsWith("[debian-13] ", StringComparison.Ordinal)
            && l.Text.Contains("hello: hello debian-13 on Debian 13 (PACKER_BUILD_NAME=debian-13)", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Text.StartsWith("[debian-13] ", StringComparison.Ordinal)
            && l.Text.Contains("provisioning debian-13", StringComparison.Ordinal));
        static bool OnlyStep(BuildStep step) => step.Name.StartsWith("provisioners[2]", StringComparison.Ordinal);
        Assert.DoesNotContain(result.Variants[0].Steps, OnlyStep); // "only": ["debian-13"]
        Assert.Contains(result.Variants[1].Steps, OnlyStep);
        Assert.Matches(@"(?m)^Step\s+debian-12\s+debian-13$", log.AllText);
        Assert.DoesNotContain(LocalCloudFixture.Token, log.AllText);

        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync(Cake.DoMarketplace.Droplets.BuildIdentity.AddinTag));
        foreach (var variant in result.Variants)
        {
            Assert.True(await api.DeleteImageAsync(variant.Image!.Image.ImageId));
        }

        Assert.Empty(cloud.Leftovers());
    }
}
