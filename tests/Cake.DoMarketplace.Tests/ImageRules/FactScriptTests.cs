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
        var facts = FirstBootFacts.Script.Parse(
            "script\tper-once\t/var/lib/cloud/scripts/per-once/01-a.sh\tx\t#!\t2\r\n" +
            "motd\t/etc/update-motd.d/99-acme\t-\n" +
            "motd\t/etc/update-motd.d/50-news\tx\n");

        Assert.Equal(new BootScriptFact("per-once", "/var/lib/cloud/scripts/per-once/01-a.sh", "x", "#!", 2), Assert.Single(facts.All<BootScriptFact>()));
        Assert.Equal(["/etc/update-motd.d/99-acme", "/etc/update-motd.d/50-news"], facts.All<MotdScriptFact>().Select(m => m.Path));
        Assert.Empty(facts.All<FirstLoginFact>()); // the output was read whole: none is an answer
    }

    [Theory]
    [InlineData("Please wait while we get your droplet ready...\n",
        "printed line 1, which is none of its records (script, per_once_record, motd, first_login): 'Please wait while we get your droplet ready...'")]
    [InlineData("motd\t/etc/update-motd.d/99-acme\n",
        "printed line 1, a 'motd' record with 1 field(s) where it has 2 (Path, Executable): 'motd\t/etc/update-motd.d/99-acme'")]
    [InlineData("motd\t/etc/update-motd.d/99-acme\tx\textra\n", "printed line 1, a 'motd' record with 3 field(s) where it has 2 (Path, Executable)")]
    [InlineData("motd\ta\tx\nscript\tper-once\t/x.sh\tx\t#!\tmany\n", "printed line 2, a 'script' record whose CrlfLines 'many' is not a whole number")]
    public void A_line_that_is_not_a_well_formed_record_is_an_error_showing_what_came_back(string output, string problem)
    {
        var error = Assert.Throws<FactRecordsException>(() => FirstBootFacts.Script.Parse(output, "web-1", "warning: something\n"));

        Assert.StartsWith("first-boot-facts.sh on web-1 " + problem, error.Message);
        Assert.Contains("no check is passed or failed on it", error.Message);
        Assert.Contains("What came back on stdout: " + Environment.NewLine + "  " + output.Split('\n')[0], error.Message);
        Assert.EndsWith("on stderr: " + Environment.NewLine + "  warning: something", error.Message);
    }

    [Fact]
    public void A_record_asked_for_and_not_printed_is_an_error_never_an_empty_record()
    {
        var facts = AppStateFacts.Script.Parse("unit\tnginx\tactive\tenabled\n", "web-1");

        var error = Assert.Throws<FactRecordsException>(() => facts.One<SystemFact>());

        Assert.StartsWith("app-state.sh on web-1 printed no 'system' record.", error.Message);
        Assert.Contains("unit\tnginx\tactive\tenabled", error.Message);
    }

    [Fact]
    public async Task A_checker_given_a_login_message_instead_of_its_facts_fails_showing_it_and_reports_nothing()
    {
        var log = new RecordingLog();
        var session = new FakeSession { Label = "web-1" }.Reply("first-boot readiness facts", "Please wait while we get your droplet ready...\n");

        var error = await Assert.ThrowsAsync<FactRecordsException>(()
            => new ReadinessChecker(session, log).CheckAsync(new ReadinessSettings(), CancellationToken.None));

        Assert.StartsWith("first-boot-facts.sh on web-1 printed line 1, which is none of its records", error.Message);
        Assert.Contains("Please wait while we get your droplet ready...", error.Message);
        Assert.DoesNotContain("first-boot readiness:", log.AllText, StringComparison.Ordinal); // no report of "0 item(s)"
    }

    [Fact]
    public async Task Validation_whose_facts_lack_a_record_fails_showing_what_came_back_and_passes_no_check()
    {
        var log = new RecordingLog();
        var session = new FakeSession { Label = "web-1" }.Reply("validation facts", "os\tDebian GNU/Linux\t12\tdebian\t\ncloudinit\t/usr/bin/cloud-init\n",
            stderr: "bash: line 40: stat: command not found\n");

        var error = await Assert.ThrowsAsync<FactRecordsException>(()
            => new ImageValidator(session, log).ValidateAsync(new ValidationSettings { RefreshPackageIndex = false }, CancellationToken.None));

        Assert.StartsWith(
            "collect-facts.sh on web-1 printed no 'tmp_mode', 'opt_digitalocean', 'updates_checked', 'root_password', 'root_history' record, which it prints "
            + "on every run.", error.Message);
        Assert.Contains("stat: command not found", error.Message);
        Assert.DoesNotContain("PASS", log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("validation:", log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_kind_word_in_two_scripts_parses_into_each_scripts_own_record()
    {
        const string Line = "script\tper-once\t/var/lib/cloud/scripts/per-once/01-a.sh\tx\t#!\t2\n";
        const string ImageTestLine = "script\tper-once\t/var/lib/cloud/scripts/per-once/01-a.sh\n";
        const string EveryRun = "os\tDebian GNU/Linux 12 (bookworm)\ninstance\ti-1\t1\nstatus\tdone\nerrors\t0\nsem\tper-once\t2\nsem\tper-instance\t2\n";

        Assert.Equal(new BootScriptFact("per-once", "/var/lib/cloud/scripts/per-once/01-a.sh", "x", "#!", 2),
            FirstBootFacts.Script.Parse(Line).One<BootScriptFact>());
        Assert.Equal(new InstalledScriptFact("per-once", "/var/lib/cloud/scripts/per-once/01-a.sh"),
            ImageTestFacts.Script.Parse(EveryRun + ImageTestLine).One<InstalledScriptFact>());
        Assert.Throws<FactRecordsException>(() => ImageTestFacts.Script.Parse(EveryRun + Line)); // five fields where image-test-facts.sh prints two
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
            Assert.Equal([new JournalFact("nginx.service", "a b c "), new JournalFact("x", string.Empty)],
                AppStateFacts.Script.Parse(output).All<JournalFact>());
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
