using System.Text.RegularExpressions;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageRules;

public sealed class ImageChecksTests
{
    private const string CleanDebian = "os\tDebian GNU/Linux\t12\tdebian\t\n" +
                                       "cloudinit\t/usr/bin/cloud-init\n" +
                                       "tmp_mode\t1777\n" +
                                       "opt_digitalocean\tabsent\n" +
                                       "firewall\tufw\tactive\t\n" +
                                       "updates_checked\t2026-11-29T10:00:00Z\tok\tok\n" +
                                       "root_password\tlocked\n" +
                                       "root_history\t0\n";

    private static IReadOnlyList<ValidationCheck> Evaluate(string facts) =>
        ImageChecks.Evaluate(ValidationFacts.Script.Parse(facts), SupportedReleases.Default);

    private static ValidationCheck Check(IReadOnlyList<ValidationCheck> checks, int id) => checks.Single(c => c.Id == id);

    [Fact]
    public void A_clean_image_passes_all_eighteen_checks()
    {
        var checks = Evaluate(CleanDebian);

        Assert.Equal(Enumerable.Range(1, 19), checks.Select(c => c.Id));
        Assert.All(checks, c => Assert.Equal(CheckLevel.Pass, c.Level));
    }

    [Theory]
    [InlineData("root_password\tset\n", 13, CheckLevel.Fail)]
    [InlineData("root_ssh_file\troot\tauthorized_keys\t400\n", 14, CheckLevel.Fail)]
    [InlineData("root_ssh_file\troot\tid_rsa\t1600\n", 15, CheckLevel.Fail)]
    [InlineData("root_ssh_file\troot\tid_rsa\t0\n", 15, CheckLevel.Warn)]
    [InlineData("root_ssh_file\troot\tknown_hosts\t900\n", 16, CheckLevel.Warn)]
    [InlineData("root_history\t4000\n", 17, CheckLevel.Fail)]
    [InlineData("user\tann\t1000\t/home/ann\tset\n", 8, CheckLevel.Fail)]
    [InlineData("user_ssh_file\tann\tauthorized_keys\t100\n", 9, CheckLevel.Fail)]
    [InlineData("user_ssh_file\tann\tid_ed25519\t400\n", 10, CheckLevel.Fail)]
    [InlineData("user_ssh_file\tann\tconfig\t10\n", 11, CheckLevel.Warn)]
    [InlineData("user_history\tann\t300\n", 12, CheckLevel.Fail)]
    [InlineData("rotated_log\t/var/log/syslog.1\tfile\n", 6, CheckLevel.Warn)]
    [InlineData("rotated_log\t/var/log/cloud-init.log\tfile\n", 6, CheckLevel.Warn)]
    [InlineData("log\t/var/log/app.log\t5000\n", 7, CheckLevel.Warn)]
    [InlineData("security_update\topenssl\n", 5, CheckLevel.Fail)]
    [InlineData("opt_digitalocean\tpresent\n", 18, CheckLevel.Fail)]
    [InlineData("tmp_mode\t755\n", 19, CheckLevel.Warn)]
    public void Each_flaw_is_caught_at_its_level(string flaw, int id, CheckLevel level)
    {
        var facts = CleanDebian;
        var kind = flaw.Split('\t')[0];
        if (kind is "root_password" or "root_history" or "opt_digitalocean" or "tmp_mode")
        {
            facts = string.Join('\n', facts.Split('\n').Where(l => !l.StartsWith(kind + "\t", StringComparison.Ordinal)));
            facts += "\n";
        }

        var check = Check(Evaluate(facts + flaw), id);

        Assert.Equal(level, check.Level);
        Assert.All(Evaluate(facts + flaw).Where(c => c.Id != id), c => Assert.Equal(CheckLevel.Pass, c.Level));
    }

    [Theory]
    [InlineData("failed: apt-get -s dist-upgrade: E: The package lists or status file could not be parsed or opened.")]
    [InlineData("failed: dnf check-update --security exited with status 1")]
    [InlineData("no package manager (apt-get, dnf or yum)")]
    public void Updates_that_could_not_be_listed_fail_check_5_and_never_read_as_none_pending(string listing)
    {
        var check = Check(Evaluate(CleanDebian.Replace("\tok\tok\n", $"\tok\t{listing}\n", StringComparison.Ordinal)), 5);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.StartsWith($"The pending updates could not be listed ({listing}; package index ok, checked 2026-11-29T10:00:00Z)", check.Message);
        Assert.Equal([listing], check.Evidence);
    }

    [Theory]
    [InlineData("root_password")]
    [InlineData("updates_checked")]
    [InlineData("os")]
    public void A_record_every_run_prints_missing_is_an_error_not_a_clean_image(string kind)
    {
        var facts = string.Join('\n', CleanDebian.Split('\n').Where(l => !l.StartsWith(kind + "\t", StringComparison.Ordinal)));

        var error = Assert.Throws<FactRecordsException>(() => Evaluate(facts));

        Assert.StartsWith($"collect-facts.sh on the droplet printed no '{kind}' record, which it prints on every run.", error.Message);
    }

    [Theory]
    [InlineData("firewall\tufw\tinactive\t\n", CheckLevel.Warn)]
    [InlineData("firewall\tfirewalld\trunning\t\n", CheckLevel.Pass)]
    [InlineData("firewall\tfirewalld\tnot-running\t\n", CheckLevel.Warn)]
    [InlineData("firewall\tnftables\t4\t\n", CheckLevel.Pass)]
    [InlineData("firewall\tiptables\t0\tACCEPT\n", CheckLevel.Warn)]
    [InlineData("firewall\tiptables\t0\tDROP\n", CheckLevel.Pass)]
    [InlineData("firewall\tcsf\tactive\t\n", CheckLevel.Pass)]
    [InlineData("", CheckLevel.Warn)]
    public void Firewall_is_read_per_tool(string firewall, CheckLevel level)
    {
        var facts = CleanDebian.Replace("firewall\tufw\tactive\t\n", firewall, StringComparison.Ordinal);
        Assert.Equal(level, Check(Evaluate(facts), 4).Level);
    }

    [Theory]
    [InlineData("Ubuntu", "24.04", CheckLevel.Pass, CheckLevel.Pass)]
    [InlineData("Ubuntu", "23.04", CheckLevel.Pass, CheckLevel.Fail)]
    [InlineData("Rocky Linux", "9.4", CheckLevel.Pass, CheckLevel.Pass)]
    [InlineData("CentOS Stream", "9", CheckLevel.Pass, CheckLevel.Pass)]
    [InlineData("Fedora Linux", "40", CheckLevel.Fail, CheckLevel.Fail)]
    [InlineData("Debian GNU/Linux", "8", CheckLevel.Pass, CheckLevel.Fail)]
    public void Operating_system_and_release_follow_digitaloceans_list(string name, string version, CheckLevel os, CheckLevel release)
    {
        var checks = Evaluate(CleanDebian.Replace("os\tDebian GNU/Linux\t12", $"os\t{name}\t{version}", StringComparison.Ordinal));
        Assert.Equal(os, Check(checks, 1).Level);
        Assert.Equal(release, Check(checks, 2).Level);
    }

    [Fact]
    public void Extra_releases_extend_the_list()
    {
        var facts = ValidationFacts.Script.Parse(CleanDebian.Replace("os\tDebian GNU/Linux\t12", "os\tUbuntu\t26.04", StringComparison.Ordinal));
        Assert.Equal(CheckLevel.Pass, ImageChecks.Evaluate(facts, SupportedReleases.Default.With(["Ubuntu 26.04"])).Single(c => c.Id == 2).Level);
    }

    [Fact]
    public void Missing_cloud_init_fails()
    {
        Assert.Equal(CheckLevel.Fail, Check(Evaluate(CleanDebian.Replace("cloudinit\t/usr/bin/cloud-init", "cloudinit\t", StringComparison.Ordinal)), 3).Level);
    }

    [Theory]
    [InlineData("ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\nNAME=\"Ubuntu\"", nameof(PackageFamily.Apt))]
    [InlineData("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\nNAME=\"Rocky Linux\"", nameof(PackageFamily.Dnf))]
    [InlineData("ID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\nNAME=\"CentOS Linux\"", nameof(PackageFamily.Yum))]
    public void Package_manager_is_detected_from_os_release(string osRelease, string family)
    {
        Assert.Equal(Enum.Parse<PackageFamily>(family), LinuxDistribution.Parse(osRelease).Family);
    }

    [Fact]
    public void Cleanup_variables_carry_the_distro_family_and_options()
    {
        var settings = new CleanupSettings { FreeSpace = FreeSpaceHandling.Trim, UpdatePackages = false };
        settings.KeepPaths.Add("/var/log/myapp/");

        var variables = ImageCleaner.Variables(PackageFamily.Dnf, settings);

        Assert.Equal("dnf", variables["PKG"]);
        Assert.Equal("0", variables["UPDATE"]);
        Assert.Equal("fstrim", variables["FREE_SPACE"]);
        Assert.Equal("/var/log/myapp", variables["KEEP"]);
        Assert.Contains("dnf -y -q upgrade", ImageScripts.Cleanup);
        Assert.Contains("yum -y -q update", ImageScripts.Cleanup);
    }

    [Fact]
    public void A_file_matching_digitaloceans_log_archive_glob_warns_like_their_scan_even_a_live_log()
    {
        var facts = CleanDebian +
                    "rotated_log\t/var/log/cloud-init.log\tfile\n" +
                    "rotated_log\t/var/log/dpkg.log.1\tfile\n" +
                    "rotated_log\t/var/log/unattended-upgrades\tfolder\n" +
                    "rotated_log\t/var/log/auth.log.2.gz\tcompressed\n" +
                    "rotated_log\t/var/log/x-1234567.1\tfile\n" +
                    "rotated_log\t/var/log/x-1234567.1\tfile\n"; // matches both globs: reported once

        var check = Check(Evaluate(facts), 6);

        Assert.Equal(CheckLevel.Warn, check.Level);
        Assert.StartsWith("5 log archive(s) in /var/log: DigitalOcean's scan warns about each entry matching /var/log/*-???????? or /var/log/*.[0-9]",
            check.Message);
        Assert.Contains("DoCleanupImage deletes the files", check.Message);
        Assert.Contains("/var/log/cloud-init.log", check.Evidence);
        Assert.Contains("/var/log/unattended-upgrades (a folder matching DigitalOcean's glob; DoCleanupImage removes files only)", check.Evidence);
        Assert.Contains("/var/log/auth.log.2.gz (compressed)", check.Evidence);
    }

    /// <summary>
    /// The collector's and the cleanup's glob blocks, taken from the shipped scripts and pointed at a scratch folder,
    /// against DigitalOcean's own loop (99-img-check.sh checkLogs): the same names, and cleanup deletes the files.
    /// </summary>
    [Fact]
    public async Task Collector_and_cleanup_expand_the_log_archive_globs_as_digitaloceans_scan_does()
    {
        var folder = Directory.CreateTempSubdirectory("cdm-logglob-").FullName;
        try
        {
            string[] files =
            [
                "cloud-init.log", "cloud-init-output.log", "php8.2-fpm.log", "mysql-error.log", "mariadb-slow.log", "apt-term.log",
                "messages-20250101", "syslog.1", "dpkg.log.1", "btmp.1", "auth.log.2.gz", "Xorg.0.log", "alternatives.log",
                ".hidden-12345678", ".x.1", "-abcdefgh", "ubuntu-advantage.log",
            ];
            foreach (var name in files)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name), string.Empty);
            }

            Directory.CreateDirectory(Path.Combine(folder, "unattended-upgrades"));
            Directory.CreateDirectory(Path.Combine(folder, "apt"));
            var digitalOcean = $$"""
                for f in {{folder}}/*-????????; do [[ -e $f ]] || break; echo "$f"; done
                for f in {{folder}}/*.[0-9]; do [[ -e $f ]] || break; echo "$f"; done
                """;
            var collector = ImageScripts.FactHelpers + "set -u\nshopt -s nullglob dotglob\n" + GlobBlock(ValidationFacts.Script.Source, folder);
            var cleanup = "set -u\nshopt -s nullglob dotglob\n" + GlobBlock(ImageScripts.Cleanup, folder)
                + "\nprintf '%s\\n' ${archives[@]+\"${archives[@]}\"}\n";

            var expected = (await Bash(digitalOcean, folder)).Order(StringComparer.Ordinal).ToList();
            var collected = ValidationFacts.Script.Parse(CleanDebian + string.Join('\n', await Bash(collector, folder))).All<RotatedLogFact>().Select(r
                => r.Path).Order(StringComparer.Ordinal).ToList();
            var removed = (await Bash(cleanup, folder)).Order(StringComparer.Ordinal).ToList();

            string[] matching = ["-abcdefgh", "apt-term.log", "btmp.1", "cloud-init.log", "dpkg.log.1", "mariadb-slow.log", "messages-20250101", "syslog.1",
                "unattended-upgrades"];
            Assert.Equal(matching.Select(n => Path.Combine(folder, n)).Order(StringComparer.Ordinal), expected);
            Assert.Equal(expected, collected);
            Assert.Equal(expected.Where(p => !p.EndsWith("unattended-upgrades", StringComparison.Ordinal)), removed);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>The lines from <c>shopt -u dotglob</c> to <c>shopt -s dotglob</c>, with /var/log replaced.</summary>
    private static string GlobBlock(string script, string folder)
    {
        var block = Regex.Match(script, @"^shopt -u dotglob\n.*?^shopt -s dotglob$", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(block.Success, "the script has no 'shopt -u dotglob' … 'shopt -s dotglob' block");
        return block.Value.Replace("/var/log", folder, StringComparison.Ordinal);
    }

    private static async Task<List<string>> Bash(string script, string folder)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cdm-glob-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var (exit, output) = await ProcessRunner.RunAsync("bash", [file], folder, TimeSpan.FromMinutes(1));
            Assert.True(exit == 0, output);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
