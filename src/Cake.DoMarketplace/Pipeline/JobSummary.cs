using System.Globalization;
using System.Text;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// The build's step table and validation (and image test) report as Markdown, appended to the CI job's summary page
/// when the CI names one: GitHub Actions sets <c>GITHUB_STEP_SUMMARY</c> to a file that it renders on the run's page.
/// </summary>
internal static class JobSummary
{
    public const string Variable = "GITHUB_STEP_SUMMARY";

    // DoBuildImages's variants finish at the same time: one append at a time keeps their sections whole.
    private static readonly Lock Appending = new();

    /// <summary>Markdown: a heading with the outcome, the step table, then the reports.</summary>
    public static string Compose(string title, bool succeeded, IReadOnlyList<BuildStep> steps, ValidationReport? validation, ValidationReport? test)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {Cell(title)}: {(succeeded ? "succeeded" : "FAILED")}");
        text.AppendLine();
        text.AppendLine("| Step | Duration | Result |");
        text.AppendLine("|---|---:|---|");
        foreach (var step in steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(step.Name)} | {DurationText.Of(step.Duration)} | {Cell(step.Result)} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| **Total** | {DurationText.Of(BuildStep.Total(steps))} | |");
        foreach (var report in new[] { validation, test }.OfType<ValidationReport>())
        {
            text.AppendLine();
            var markdown = ValidationReportWriter.ToMarkdown(report);
            text.Append(markdown.StartsWith("# ", StringComparison.Ordinal) ? "###" + markdown[1..] : markdown); // under the build's heading
        }

        return text.AppendLine().ToString();
    }

    /// <summary>Appends <paramref name="markdown"/> to the file <c>GITHUB_STEP_SUMMARY</c> names; does nothing when it is unset.</summary>
    public static void AppendIfRequested(IFileSystem files, ICakeEnvironment environment, ICakeLog log, string markdown)
    {
        var path = environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        try
        {
            lock (Appending)
            {
                files.AppendAllText(path, SecretRedactor.Redact(markdown));
            }

            log.Detail($"Step table and reports appended to the job summary ({Variable})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warn($"Could not append to the job summary {path} ({Variable}): {e.Message}");
        }
    }

    /// <summary>Text made safe for one cell of a Markdown table.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
