using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// <c>DoBuildImages</c>'s step table: a row per step, a column per variant with the step's outcome and duration there
/// (<c>-</c> where the variant did not reach it), then each variant's total, wall time and status.
/// </summary>
internal static class VariantStepTable
{
    public static void Print(ICakeLog log, IReadOnlyList<VariantResult> variants)
    {
        var rows = Table(variants);
        var first = Math.Max(4, rows.Max(r => r.Step.Length));
        var widths = variants.Select((v, i) => Math.Max(v.Name.Length, rows.Max(r => r.Cells[i].Length))).ToArray();
        string Line(string head, IEnumerable<string> cells) =>
            (head.PadRight(first) + string.Concat(cells.Select((c, i) => "  " + c.PadRight(widths[i])))).TrimEnd();

        log.Info(string.Empty);
        log.Info(Line("Step", variants.Select(v => v.Name)));
        log.Info(new string('-', first + widths.Sum(w => w + 2)));
        foreach (var (name, cells) in rows)
        {
            log.Info(Line(name, cells));
        }
    }

    /// <summary>The same table as Markdown for the CI job's summary, under a heading that counts the outcome.</summary>
    public static string Markdown(IReadOnlyList<VariantResult> variants)
    {
        static string Row(string head, IEnumerable<string> cells) => $"| {JobSummary.Cell(head)} | {string.Join(" | ", cells.Select(JobSummary.Cell))} |";
        var succeeded = variants.Count(v => v.Status == VariantStatus.Succeeded);
        var text = new System.Text.StringBuilder()
            .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"## {variants.Count} image variants: {succeeded} succeeded")
            .AppendLine()
            .AppendLine(Row("Step", variants.Select(v => v.Name)))
            .AppendLine(Row("---", variants.Select(_ => "---")));
        foreach (var (name, cells) in Table(variants))
        {
            text.AppendLine(Row(name, cells));
        }

        return text.AppendLine().ToString();
    }

    private static List<(string Step, string[] Cells)> Table(IReadOnlyList<VariantResult> variants)
    {
        var rows = Rows(variants).Select(name => (name, variants.Select(v => Cell(v.Steps.FirstOrDefault(s => s.Name == name))).ToArray())).ToList();
        rows.Add(("Total", [.. variants.Select(v => DurationText.Of(BuildStep.Total(v.Steps)))]));
        rows.Add(("Wall time", [.. variants.Select(v => DurationText.Of(v.Duration))]));
        rows.Add(("Result", [.. variants.Select(v => v.Status.ToString())]));
        return rows;
    }

    private static string Cell(BuildStep? step) => step switch
    {
        null => "-",
        { Outcome: "skipped" } => "skipped",
        _ => $"{step.Outcome} {DurationText.Of(step.Duration)}",
    };

    /// <summary>Every variant's steps in their order: a step only some variants have comes after the step it follows there.</summary>
    private static List<string> Rows(IEnumerable<VariantResult> variants)
    {
        var rows = new List<string>();
        foreach (var variant in variants)
        {
            var at = 0;
            foreach (var step in variant.Steps)
            {
                var found = rows.IndexOf(step.Name);
                if (found < 0)
                {
                    rows.Insert(at, step.Name);
                    found = at;
                }

                at = found + 1;
            }
        }

        return rows;
    }
}
