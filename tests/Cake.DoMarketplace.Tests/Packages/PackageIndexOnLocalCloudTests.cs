using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packages;

/// <summary>
/// One apt index refresh per build droplet (issue 13): the first package step refreshes, the next reuses the index, a
/// changed apt source refreshes again, the validation reuses the build's index only when asked to (in a build), and the
/// cleanup's package update reuses it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PackageIndexOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string Reused = "not refreshed again";

    [Fact]
    public async Task The_index_is_refreshed_once_until_the_sources_change_and_the_build_validation_reuses_it()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "apt-index");
        try
        {
            var packages = new PackageManager(droplet.Session, log);
            await packages.InstallAsync(["less"], new PackageSettings(), CancellationToken.None);
            Assert.DoesNotContain(Reused, log.AllText);

            await packages.InstallAsync(["less"], new PackageSettings(), CancellationToken.None);
            Assert.Single(Occurrences(log.AllText, Reused));

            // A step adds an apt source (here a comment-only file: the fingerprint changes, apt does not care).
            await droplet.Session.RunAsync("echo '# added by a build script' > /etc/apt/sources.list.d/added.list");
            await packages.InstallAsync(["less"], new PackageSettings(), CancellationToken.None);
            Assert.Single(Occurrences(log.AllText, Reused));

            var settings = new ValidationSettings { FailOnError = false, ReportDirectory = null };
            var inBuild = await new ImageValidator(droplet.Session, log, reuseBuildIndex: true).ValidateAsync(settings, CancellationToken.None);
            var alone = await new ImageValidator(droplet.Session, log).ValidateAsync(settings, CancellationToken.None);

            Assert.Contains("package index reused from this build's refresh", SecurityCheck(inBuild));
            Assert.Contains("package index ok", SecurityCheck(alone));

            // The cleanup's package update uses the same test: the index the build refreshed is not fetched again.
            context.DoCleanupImage(droplet, s => s.FreeSpace = FreeSpaceHandling.Skip);
            Assert.Contains("package index: refreshed by this build, sources unchanged: not refreshed again", log.AllText);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    private static string SecurityCheck(ValidationReport report) => report.Checks.Single(c => c.Id == 5).Message;

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }
}
