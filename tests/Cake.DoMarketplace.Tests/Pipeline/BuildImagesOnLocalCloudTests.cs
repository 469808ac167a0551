using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>DoBuildImages on the local cloud: one recipe in two small variants (Debian 12 and 13) built at once, each its own image.</summary>
[Trait("Category", "Integration")]
public sealed class BuildImagesOnLocalCloudTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-variants-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task Two_variants_build_at_once_each_its_own_image_with_prefixed_lines_one_table_and_nothing_left()
    {
        var log = new RecordingLog();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The recipe form: one recipe run afresh per variant, each variant its base image and name (images "variants-12", "variants-13").
        var result = cloud.Context(log, work).DoBuildImages(
            settings =>
            {
                CheapBuild.Apply(settings, "variant-build"); // one droplet name for both: the reports must not collide
                settings.Validation.ReportDirectory = "./reports";
                settings.Snapshot.Name = "variants";
            },
            [new ImageVariant("12") { Image = "debian-12-x64" }, new ImageVariant("13") { Image = "debian-13-x64" }],
            new BuildImagesSettings { MaxParallel = 2 });
        output.WriteLine($"DoBuildImages took {clock.Elapsed.TotalSeconds:0.0}s; its table:");
        output.WriteLine(string.Join('\n', log.Lines.Select(l => l.Text).SkipWhile(t => !t.StartsWith("Step ", StringComparison.Ordinal))));

        Assert.Equal(["12", "13"], result.Variants.Select(v => v.Name));
        Assert.All(result.Variants, v => Assert.Equal(VariantStatus.Succeeded, v.Status));
        Assert.Equal(["variants-12", "variants-13"], result.Variants.Select(v => v.Image!.Image.Name));
        Assert.Equal(2, result.Variants.Select(v => v.Image!.Image.ImageId).Distinct().Count());
        Assert.Contains(log.Lines, l => l.Text.StartsWith("[12] ==> [2/", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Text.StartsWith("[13] ==> [2/", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^Step\s+12\s+13$", log.AllText);
        Assert.Matches(@"(?m)^Result\s+Succeeded\s+Succeeded$", log.AllText);
        foreach (var name in new[] { "12", "13" })
        {
            Assert.True(File.Exists(Path.Combine(work, "reports", name, "variant-build-validation.md")), name);
        }

        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
        foreach (var variant in result.Variants)
        {
            Assert.True(await api.DeleteImageAsync(variant.Image!.Image.ImageId));
        }

        Assert.Empty(cloud.Leftovers());
    }
}
