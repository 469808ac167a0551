using System.Globalization;
using System.Text.RegularExpressions;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageRules;

/// <summary>
/// The fact scripts' record lists (their headers) and the records <see cref="FactScript"/> parses their output into
/// name the same fields in the same order, so that neither can change without the other.
/// </summary>
public sealed partial class FactScriptTests
{
    private static readonly FactScript[] Scripts = [ValidationFacts.Script, FirstBootFacts.Script, ImageTestFacts.Script, AppStateFacts.Script];

    public static TheoryData<string> ScriptNames => new(Scripts.Select(s => s.FileName));

    [GeneratedRegex(@"^#\s+(?<kind>[a-z_]+)(?<fields>(?:\s+<[^>]+>)+)\s*$")]
    private static partial Regex RecordLine();

    [GeneratedRegex("<([^>]+)>")]
    private static partial Regex Field();

    [Theory]
    [MemberData(nameof(ScriptNames))]
    public void The_header_lists_every_record_the_parser_reads_with_the_same_fields_in_order(string fileName)
    {
        var script = Scripts.Single(s => s.FileName == fileName);

        var parsed = script.Records.Select(t => $"{FactScript.KindOf(t)} {string.Join(' ', FactScript.FieldsOf(t))}").ToList();

        Assert.Equal(Header(ImageScripts.Read(fileName)), parsed);
    }

    [Fact]
    public void Every_embedded_script_with_a_record_list_has_a_parser_and_the_helpers_have_none()
    {
        var embedded = typeof(ImageScripts).Assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sh", StringComparison.Ordinal))
            .Select(n => n.Split('.')[^2] + ".sh")
            .ToList();
        var withRecords = embedded.Where(n => Header(ImageScripts.Read(n)).Count > 0).Order(StringComparer.Ordinal);

        Assert.Equal(Scripts.Select(s => s.FileName).Order(StringComparer.Ordinal), withRecords);
        Assert.Contains("fact-helpers.sh", embedded);
        Assert.Contains("cleanup.sh", embedded);
    }

    [Fact]
    public void Records_are_parsed_into_named_typed_fields()
    {
        var facts = ValidationFacts.Script.Parse(
            "user\tann\t1000\t/home/ann\tlocked\r\n" +
            "user_history\tbob\tnot-a-number\n" +
            "firewall\tufw\n" +
            "no_such_kind\tx\n");

        Assert.Equal(new UserFact("ann", 1000, "/home/ann", "locked"), Assert.Single(facts.All<UserFact>()));
        Assert.Equal(new UserHistoryFact("bob", 0), facts.One<UserHistoryFact>());
        Assert.Equal(new FirewallFact("ufw", string.Empty, string.Empty), facts.One<FirewallFact>());
        Assert.Equal(new RootHistoryFact(0), facts.One<RootHistoryFact>()); // none printed: every field empty
        Assert.Empty(facts.All<OsFact>());
    }

    [Fact]
    public void The_same_kind_word_in_two_scripts_parses_into_each_scripts_own_record()
    {
        const string Line = "script\tper-once\t/var/lib/cloud/scripts/per-once/01-a.sh\tx\t#!\t2\n";

        Assert.Equal(new BootScriptFact("per-once", "/var/lib/cloud/scripts/per-once/01-a.sh", "x", "#!", 2), FirstBootFacts.Script.Parse(Line).One<BootScriptFact>());
        Assert.Equal(new InstalledScriptFact("per-once", "/var/lib/cloud/scripts/per-once/01-a.sh"), ImageTestFacts.Script.Parse(Line).One<InstalledScriptFact>());
    }

    [Fact]
    public async Task Emit_keeps_a_tab_or_line_break_inside_a_field_from_splitting_its_record()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cdm-emit-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, ImageScripts.FactHelpers + "\nemit journal nginx.service $'a\\tb\\nc\\r'\nemit journal x ''\n");
        try
        {
            var (exit, output) = await ProcessRunner.RunAsync("bash", [file], Path.GetTempPath(), TimeSpan.FromMinutes(1));

            Assert.True(exit == 0, output);
            Assert.Equal("journal\tnginx.service\ta b c \njournal\tx\t\n", output);
            Assert.Equal([new JournalFact("nginx.service", "a b c "), new JournalFact("x", string.Empty)], AppStateFacts.Script.Parse(output).All<JournalFact>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The record lines of the script's leading comment block ("#   user &lt;name&gt; &lt;uid&gt;" → "user Name Uid").</summary>
    private static List<string> Header(string script) =>
        script.Split('\n')
            .TakeWhile(line => line.StartsWith('#'))
            .Select(line => RecordLine().Match(line))
            .Where(m => m.Success)
            .Select(m => m.Groups["kind"].Value + " " + string.Join(' ', Field().Matches(m.Groups["fields"].Value).Select(f => Pascal(f.Groups[1].Value))))
            .ToList();

    private static string Pascal(string words) =>
        string.Concat(words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..]));
}
