using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>Writes a <see cref="ValidationReport"/> as Markdown (people), JSON (tools) and JUnit XML (CI test views).</summary>
internal static class ValidationReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>Writes the three files into the folder (made when missing) and returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(ValidationReport report, ReportFolder folder, string baseName)
    {
        folder.Files.CreateDirectory(folder.Path);
        var written = new List<string>();
        foreach (var (extension, text) in new[] { (".md", ToMarkdown(report)), (".json", ToJson(report)), (".junit.xml", ToJUnit(report)) })
        {
            var path = folder.Path.CombineWithFilePath(baseName + extension);
            folder.Files.WriteAllText(path, text);
            written.Add(path.FullPath);
        }

        return written;
    }

    /// <summary>A Markdown page: summary, then a table of every check.</summary>
    public static string ToMarkdown(ValidationReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Marketplace image validation: {report.Machine}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Operating system: {report.OperatingSystem}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Checked at: {report.CheckedAt:yyyy-MM-dd HH:mm:ss} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Result: **{(report.HasFailures ? "FAIL" : "PASS")}** — {report.Summary}");
        text.AppendLine();
        text.AppendLine("| # | Check | Level | Finding |");
        text.AppendLine("|---|---|---|---|");
        foreach (var check in report.Checks)
        {
            var finding = Cell(check.Message)
                + (check.Evidence.Count > 0 ? "<br>"
                + string.Join("<br>", check.Evidence.Take(20).Select(e => "`" + e.Replace("`", "'", StringComparison.Ordinal) + "`")) : string.Empty);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {check.Id} | {Cell(check.Name)} | {Level(check.Level)} | {finding} |");
        }

        return text.ToString();
    }

    /// <summary>The report as JSON (levels as <c>pass</c>, <c>warn</c>, <c>fail</c>).</summary>
    public static string ToJson(ValidationReport report) => JsonSerializer.Serialize(new
    {
        machine = report.Machine,
        operatingSystem = report.OperatingSystem,
        checkedAt = report.CheckedAt,
        passed = !report.HasFailures,
        summary = report.Summary,
        checks = report.Checks,
    }, Json);

    /// <summary>JUnit XML: one test case per check; FAIL is a failure, WARN passes with its finding in system-out.</summary>
    public static string ToJUnit(ValidationReport report)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", $"Marketplace image validation ({report.Machine})"),
            new XAttribute("tests", report.Checks.Count),
            new XAttribute("failures", report.Count(CheckLevel.Fail)),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("timestamp", report.CheckedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "operatingSystem"), new XAttribute("value", report.OperatingSystem)),
                new XElement("property", new XAttribute("name", "warnings"), new XAttribute("value", report.Count(CheckLevel.Warn)))));
        foreach (var check in report.Checks)
        {
            var testCase = new XElement("testcase",
                new XAttribute("classname", "marketplace.validation"),
                new XAttribute("name", $"{check.Id:00} {check.Name}"),
                new XAttribute("time", "0"));
            var details = string.Join("\n", check.Evidence);
            if (check.Level == CheckLevel.Fail)
            {
                testCase.Add(new XElement("failure", new XAttribute("message", check.Message), new XAttribute("type", "FAIL"), details));
            }
            else if (check.Level == CheckLevel.Warn)
            {
                testCase.Add(new XElement("system-out", $"WARN: {check.Message}" + (details.Length > 0 ? "\n" + details : string.Empty)));
            }

            suite.Add(testCase);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString();
    }

    private static string Level(CheckLevel level) => level switch
    {
        CheckLevel.Fail => "❌ FAIL",
        CheckLevel.Warn => "⚠️ WARN",
        _ => "✅ PASS",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);
}
