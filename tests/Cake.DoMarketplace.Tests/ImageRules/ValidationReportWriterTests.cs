using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.Tests.ImageRules;

public sealed class ValidationReportWriterTests
{
    private static readonly ValidationReport Report = new(
        "web-build",
        "Debian GNU/Linux 12",
        new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero),
        [
            new ValidationCheck(1, "Supported operating system", CheckLevel.Pass, "Debian GNU/Linux is supported.", []),
            new ValidationCheck(4, "Firewall enabled", CheckLevel.Warn, "No firewall is active.", ["ufw: inactive"]),
            new ValidationCheck(13, "Root password locked", CheckLevel.Fail, "root has a password | <set> & \"quoted\"", ["root set"]),
        ]);

    [Fact]
    public void Markdown_is_a_readable_table_with_escaped_cells()
    {
        var markdown = ValidationReportWriter.ToMarkdown(Report);

        Assert.Contains("# Marketplace image validation: web-build", markdown);
        Assert.Contains("**FAIL** — 1 passed, 1 warnings, 1 failed", markdown);
        Assert.Contains("| 13 | Root password locked | ❌ FAIL | root has a password \\| <set>", markdown);
        Assert.Equal(3, markdown.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| #", StringComparison.Ordinal)));
    }

    [Fact]
    public void Json_parses_back_with_levels_and_evidence()
    {
        using var json = JsonDocument.Parse(ValidationReportWriter.ToJson(Report));

        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal(3, checks.GetArrayLength());
        Assert.Equal("fail", checks[2].GetProperty("level").GetString());
        Assert.Equal("ufw: inactive", checks[1].GetProperty("evidence")[0].GetString());
    }

    [Fact]
    public void Junit_validates_against_the_junit_schema_with_one_case_per_check()
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Resources", "junit.xsd"));
        var document = XDocument.Parse(ValidationReportWriter.ToJUnit(Report));
        var errors = new List<string>();

        document.Validate(schemas, (_, e) => errors.Add(e.Message));

        Assert.Empty(errors);
        var cases = document.Descendants("testcase").ToList();
        Assert.Equal(3, cases.Count);
        Assert.Equal("1", document.Root!.Element("testsuite")!.Attribute("failures")!.Value);
        Assert.NotNull(cases[2].Element("failure"));
        Assert.Contains("WARN: No firewall is active.", cases[1].Element("system-out")!.Value);
    }

    [Fact]
    public void WriteAll_creates_the_three_files()
    {
        var folder = Directory.CreateTempSubdirectory("cdm-report-").FullName;
        try
        {
            var files = ValidationReportWriter.WriteAll(Report, new ReportFolder(new Cake.Core.IO.FileSystem(), folder), "web-build-validation");

            Assert.Equal(["web-build-validation.md", "web-build-validation.json", "web-build-validation.junit.xml"], files.Select(Path.GetFileName));
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 100));
            using var reader = XmlReader.Create(files[2]);
            while (reader.Read())
            {
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
