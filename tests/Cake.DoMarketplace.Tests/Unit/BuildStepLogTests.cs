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
        Assert.Equal("==> [1/3] Create droplet", Texts[0]);
        Assert.Matches(new Regex(@"^<== \[1/3\] Create droplet: ok: droplet 42 \([0-9]+\.[0-9]s\)$"), Texts[1]);
        Assert.Equal("==> [2/3] Update packages", Texts[2]);
        Assert.Matches(new Regex(@"^<== \[2/3\] Update packages: ok \([0-9]+\.[0-9]s\)$"), Texts[3]);
        Assert.Equal("==> [3/3] Transfer image: skipped (no regions)", Texts[4]);
        Assert.Equal(5, Texts.Length);
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
        Assert.Equal("==> [2/2] Next", Texts[^2]);
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

        var table = Texts[5..];
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

    [Fact]
    public void A_failed_step_ends_with_its_error_and_the_last_lines_of_its_output_verbose_ones_included()
    {
        var tail = new OutputTail(log, capacity: 3);
        var steps = new BuildStepLog(tail, 1, tail);

        Assert.Throws<InvalidOperationException>(() => steps.Run("Install packages", new Action(() =>
        {
            tail.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "{0}", "[d] first");
            tail.Write(Cake.Core.Diagnostics.Verbosity.Verbose, Cake.Core.Diagnostics.LogLevel.Verbose, "{0}", "[d] Unpacking nginx (1.22.1-9) ...");
            tail.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "{0}",
                "[d:err] E: Sub-process /usr/bin/dpkg returned an error code (1)\n[d:err] E: second line");
            throw new InvalidOperationException("Remote command on d exited with status 100");
        })));

        var failed = log.Lines.Single(l => l.Text.StartsWith("<== ", StringComparison.Ordinal));
        Assert.Equal(Cake.Core.Diagnostics.LogLevel.Error, failed.Level);
        Assert.Matches(new Regex(@"^<== \[1/1\] Install packages: FAILED: Remote command on d exited with status 100 \([0-9]+\.[0-9]s\)$"), failed.Text);
        var after = Texts.SkipWhile(t => t != failed.Text).Skip(1).ToArray();
        Assert.Equal(
            ["    last 3 line(s) of its output:", "    [d] Unpacking nginx (1.22.1-9) ...",
                "    [d:err] E: Sub-process /usr/bin/dpkg returned an error code (1)", "    [d:err] E: second line"],
            after);
    }

    [Fact]
    public void The_output_tail_starts_afresh_with_each_step()
    {
        var tail = new OutputTail(log);
        var steps = new BuildStepLog(tail, 2, tail);

        steps.Run("First", () => tail.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "{0}", "from the first step"));
        Assert.Throws<InvalidOperationException>(() => steps.Run("Second", new Action(() => throw new InvalidOperationException("boom"))));

        Assert.DoesNotContain(Texts, t => t.Contains("from the first step", StringComparison.Ordinal) && t.StartsWith("    ", StringComparison.Ordinal));
        Assert.DoesNotContain(Texts, t => t.Contains("line(s) of its output", StringComparison.Ordinal));
    }
}
