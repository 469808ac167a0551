using System.Text.RegularExpressions;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class BuildStepLogTests
{
    private readonly RecordingLog log = new();

    private string[] Texts => log.Lines.Select(l => l.Text).ToArray();

    [Fact]
    public void Each_step_is_announced_with_its_number_of_the_total_and_recorded_ok()
    {
        var steps = new BuildStepLog(log, 3);

        var value = steps.Run("Create droplet", () => 42, v => $"droplet {v}");
        steps.Run("Update packages", () => { });
        steps.Skip("Transfer image", "no regions");

        Assert.Equal(42, value);
        Assert.Equal(["==> [1/3] Create droplet", "==> [2/3] Update packages", "==> [3/3] Transfer image: skipped (no regions)"], Texts);
        Assert.Equal(["ok: droplet 42", "ok", "skipped: no regions"], steps.Steps.Select(s => s.Result));
        Assert.Equal(TimeSpan.Zero, steps.Steps[2].Duration);
    }

    [Fact]
    public void A_failing_step_is_recorded_with_the_first_line_of_its_error_and_the_error_goes_on()
    {
        var steps = new BuildStepLog(log, 2);
        var boom = new InvalidOperationException("apt-get failed\nE: Unable to locate package nginx-full");

        var thrown = Assert.Throws<InvalidOperationException>(() => steps.Run("Install packages", new Action(() => throw boom)));

        Assert.Same(boom, thrown);
        Assert.Equal("FAILED: apt-get failed", Assert.Single(steps.Steps).Result);
        steps.Run("Next", () => { });
        Assert.Equal("==> [2/2] Next", Texts[^1]);
    }

    [Fact]
    public void A_long_error_is_cut_at_120_characters_and_registered_secrets_are_masked()
    {
        var secret = "dop_v1_" + Guid.NewGuid().ToString("N");
        SecretRedactor.Register(secret);
        var steps = new BuildStepLog(log, 2);

        Assert.Throws<InvalidOperationException>(() => steps.Run<int>("Call API", () => throw new InvalidOperationException("token " + secret + " refused")));
        Assert.Throws<InvalidOperationException>(() => steps.Run<int>("Long", () => throw new InvalidOperationException(new string('x', 200))));

        Assert.Equal("FAILED: token *** refused", steps.Steps[0].Result);
        Assert.Equal("FAILED: " + new string('x', 120) + "…", steps.Steps[1].Result);
    }

    [Fact]
    public void The_summary_is_a_table_of_steps_durations_and_results_with_a_total_and_the_reports()
    {
        var steps = new BuildStepLog(log, 3);
        steps.Run("Create droplet", () => { });
        Assert.Throws<TimeoutException>(() => steps.Run("Wait", new Action(() => throw new TimeoutException("gave up"))));
        steps.Skip("Snapshot", "failed before");

        steps.PrintSummary(["artifacts/validation.md", "artifacts/validation.json"]);

        var table = Texts[3..];
        var width = "Create droplet".Length;
        Assert.Equal(string.Empty, table[0]);
        Assert.Equal("Step".PadRight(width) + "   Duration  Result", table[1]);
        Assert.Equal(new string('-', width + 43), table[2]);
        Assert.Matches(new Regex("^Create droplet  +[0-9]+\\.[0-9]s  ok$"), table[3]);
        Assert.Matches(new Regex("^Wait {10}  +[0-9]+\\.[0-9]s  FAILED: gave up$"), table[4]);
        Assert.Equal("Snapshot".PadRight(width) + "       0.0s  skipped: failed before", table[5]);
        Assert.Matches(new Regex("^Total {9}  +[0-9]+\\.[0-9]s$"), table[6]);
        Assert.Equal(["Report: artifacts/validation.md", "Report: artifacts/validation.json"], table[7..]);
    }

    [Fact]
    public void Short_step_names_still_get_a_column_as_wide_as_its_heading()
    {
        var steps = new BuildStepLog(log, 1);
        steps.Skip("A", "why");

        steps.PrintSummary([]);

        Assert.Equal("Step   Duration  Result", Texts[2]);
        Assert.Equal("A" + new string(' ', 10) + "0.0s  skipped: why", Texts[4]);
    }

    [Fact]
    public void A_summary_with_no_steps_prints_the_heading_only()
    {
        var steps = new BuildStepLog(log, 1);

        steps.PrintSummary([]);

        Assert.Equal("Step   Duration  Result", Texts[1]);
    }
}
