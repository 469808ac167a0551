using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>One step of an image build: what, how long, how it ended.</summary>
/// <param name="Name">The step.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Result"><c>ok</c>, <c>FAILED</c> or <c>skipped</c>, with a short detail.</param>
public sealed record BuildStep(string Name, TimeSpan Duration, string Result);

/// <summary>Announces each step, times it, and prints the summary table at the end, success or not.</summary>
internal sealed class BuildStepLog(ICakeLog log, int total)
{
    private readonly List<BuildStep> steps = [];

    public IReadOnlyList<BuildStep> Steps => steps;

    public T Run<T>(string name, Func<T> step, Func<T, string>? detail = null)
    {
        log.Info($"==> [{steps.Count + 1}/{total}] {name}");
        var clock = Stopwatch.StartNew();
        try
        {
            var value = step();
            steps.Add(new BuildStep(name, clock.Elapsed, detail is null ? "ok" : $"ok: {detail(value)}"));
            return value;
        }
        catch (Exception e)
        {
            steps.Add(new BuildStep(name, clock.Elapsed, "FAILED: " + Shorten(SecretRedactor.Redact(e.Message))));
            throw;
        }
    }

    /// <summary>Runs a step whose result is a short detail for the table (or null for a plain "ok").</summary>
    public void RunStep(string name, Func<string?> step)
    {
        string? detail = null;
        Run<bool>(name, () =>
        {
            detail = step();
            return true;
        });
        if (detail is not null)
        {
            steps[^1] = steps[^1] with { Result = $"ok: {detail}" };
        }
    }

    public void Run(string name, Action step) => Run<bool>(name, () =>
    {
        step();
        return true;
    });

    public void Skip(string name, string why)
    {
        log.Info($"==> [{steps.Count + 1}/{total}] {name}: skipped ({why})");
        steps.Add(new BuildStep(name, TimeSpan.Zero, $"skipped: {why}"));
    }

    public void PrintSummary(IEnumerable<string> reports)
    {
        var width = Math.Max(4, steps.Select(s => s.Name.Length).DefaultIfEmpty(0).Max());
        log.Info(string.Empty);
        log.Info($"{"Step".PadRight(width)}  {"Duration",9}  Result");
        log.Info(new string('-', width + 2 + 9 + 2 + 30));
        foreach (var step in steps)
        {
            log.Info($"{step.Name.PadRight(width)}  {WaitTimeoutException.Format(step.Duration),9}  {step.Result}");
        }

        log.Info($"{"Total".PadRight(width)}  {WaitTimeoutException.Format(TimeSpan.FromTicks(steps.Sum(s => s.Duration.Ticks))),9}");
        foreach (var report in reports)
        {
            log.Info($"Report: {report}");
        }
    }

    private static string Shorten(string text)
    {
        var line = text.Split('\n')[0];
        return line.Length > 120 ? line[..120] + "…" : line;
    }
}
