using Cake.Core;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class JobSummaryTests
{
    private static readonly BuildStep[] Steps =
    [
        new("Create build droplet", TimeSpan.FromSeconds(4.1), "ok: 501000001 198.18.0.2 (s-1vcpu-512mb-10gb, nyc3)"),
        new("Run a|b.sh", TimeSpan.FromSeconds(1), "FAILED: exit 1"),
        new("Snapshot", TimeSpan.Zero, "skipped: failed before"),
    ];

    private static readonly ValidationReport Validation = new(
        "web-build",
        "Debian 12",
        DateTimeOffset.UnixEpoch,
        [new ValidationCheck(1, "Supported operating system", CheckLevel.Pass, "Debian GNU/Linux is supported.", [])]);

    [Fact]
    public void The_step_table_and_the_validation_report_are_markdown_under_one_heading()
    {
        var markdown = JobSummary.Compose("Marketplace image build web-build", succeeded: false, Steps, Validation, test: null);
        var lines = markdown.Split('\n');

        Assert.Equal("## Marketplace image build web-build: FAILED", lines[0]);
        Assert.Equal("| Step | Duration | Result |", lines[2]);
        Assert.Equal("|---|---:|---|", lines[3]);
        Assert.Equal("| Create build droplet | 4.1s | ok: 501000001 198.18.0.2 (s-1vcpu-512mb-10gb, nyc3) |", lines[4]);
        Assert.Equal("| Run a\\|b.sh | 1.0s | FAILED: exit 1 |", lines[5]);
        Assert.Equal("| **Total** | 5.1s | |", lines[7]);
        Assert.Contains("### Marketplace image validation: web-build", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| 1 | Supported operating system |", StringComparison.Ordinal));
    }

    [Fact]
    public void The_summary_is_appended_to_the_file_github_names_and_nothing_is_written_without_it()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "earlier step\n");
            var environment = Substitute.For<ICakeEnvironment>();
            var log = new RecordingLog();

            JobSummary.AppendIfRequested(new Cake.Core.IO.FileSystem(), environment, log, "ignored\n");
            environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY").Returns(file);
            JobSummary.AppendIfRequested(new Cake.Core.IO.FileSystem(), environment, log, "## build\n");

            Assert.Equal("earlier step\n## build\n", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_summary_file_that_cannot_be_written_is_a_warning_not_a_failed_build()
    {
        var environment = Substitute.For<ICakeEnvironment>();
        environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY").Returns("/nonexistent-folder/summary.md");
        var log = new RecordingLog();

        JobSummary.AppendIfRequested(new Cake.Core.IO.FileSystem(), environment, log, "## build\n");

        Assert.Contains(log.Lines, l => l.Level == Cake.Core.Diagnostics.LogLevel.Warning && l.Text.Contains("GITHUB_STEP_SUMMARY", StringComparison.Ordinal));
    }
}
