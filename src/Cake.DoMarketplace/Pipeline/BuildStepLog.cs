using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// Announces each step's start (<c>==> [n/N] step</c>) and end (<c>&lt;== [n/N] step: ok (2.6s)</c>), times it, and prints
/// the summary table at the end, success or not. A failed step shows the last lines of its output again under its error
/// (from <paramref name="tail"/>, which keeps verbose lines too).
/// </summary>
internal sealed class BuildStepLog(ICakeLog log, int total, OutputTail? tail = null)
{
    private readonly List<BuildStep> steps = [];

    public IReadOnlyList<BuildStep> Steps => steps;

    public T Run<T>(string name, Func<T> step, Func<T, string?>? detail = null)
    {
        var label = $"[{steps.Count + 1}/{total}] {name}";
        log.Info($"==> {label}");
        tail?.Clear();
        var clock = Stopwatch.StartNew();
        try
        {
            var value = step();
            var result = detail?.Invoke(value) is { } text ? $"ok: {text}" : "ok";
            steps.Add(new BuildStep(name, clock.Elapsed, result));
            log.Info($"<== {label}: {result} ({DurationText.Of(clock.Elapsed)})");
            return value;
        }
        catch (Exception e)
        {
            var output = tail?.Lines ?? [];
            var result = "FAILED: " + Shorten(SecretRedactor.Redact(e.Message));
            steps.Add(new BuildStep(name, clock.Elapsed, result));
            log.Fail($"<== {label}: {result} ({DurationText.Of(clock.Elapsed)})");
            if (output.Count > 0)
            {
                log.Write(Verbosity.Minimal, LogLevel.Information, "{0}", $"    last {output.Count} line(s) of its output:");
                foreach (var line in output)
                {
                    log.Write(Verbosity.Minimal, LogLevel.Information, "{0}", "    " + line);
                }
            }

            throw;
        }
    }

    /// <summary>Runs a step whose result is a short detail for the table (or null for a plain "ok").</summary>
    public void RunStep(string name, Func<string?> step) => Run(name, step, detail => detail);

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
            log.Info($"{step.Name.PadRight(width)}  {DurationText.Of(step.Duration),9}  {step.Result}");
        }

        log.Info($"{"Total".PadRight(width)}  {DurationText.Of(BuildStep.Total(steps)),9}");
        PrintReports(reports);
    }

    public void PrintReports(IEnumerable<string> reports)
    {
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
