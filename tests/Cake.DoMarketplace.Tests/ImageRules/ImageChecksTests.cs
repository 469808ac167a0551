using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Packages;

namespace Cake.DoMarketplace.Tests.ImageRules;

public sealed class ImageChecksTests
{
    private const string CleanDebian = "os\tDebian GNU/Linux\t12\tdebian\t\n" +
                                       "cloudinit\t/usr/bin/cloud-init\n" +
                                       "tmp_mode\t1777\n" +
                                       "opt_digitalocean\tabsent\n" +
                                       "firewall\tufw\tactive\n" +
                                       "updates_checked\t2026-11-29T10:00:00Z\tok\n" +
                                       "root_password\tlocked\n" +
                                       "root_history\t0\n";

    private static IReadOnlyList<ValidationCheck> Evaluate(string facts) =>
        ImageChecks.Evaluate(ImageFacts.Parse(facts), SupportedReleases.Default);

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
    [InlineData("rotated_log\t/var/log/syslog.1\n", 6, CheckLevel.Warn)]
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
    [InlineData("firewall\tufw\tinactive\n", CheckLevel.Warn)]
    [InlineData("firewall\tfirewalld\trunning\n", CheckLevel.Pass)]
    [InlineData("firewall\tfirewalld\tnot-running\n", CheckLevel.Warn)]
    [InlineData("firewall\tnftables\t4\n", CheckLevel.Pass)]
    [InlineData("firewall\tiptables\t0\tACCEPT\n", CheckLevel.Warn)]
    [InlineData("firewall\tiptables\t0\tDROP\n", CheckLevel.Pass)]
    [InlineData("firewall\tcsf\tactive\n", CheckLevel.Pass)]
    [InlineData("", CheckLevel.Warn)]
    public void Firewall_is_read_per_tool(string firewall, CheckLevel level)
    {
        var facts = CleanDebian.Replace("firewall\tufw\tactive\n", firewall, StringComparison.Ordinal);
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
        var facts = ImageFacts.Parse(CleanDebian.Replace("os\tDebian GNU/Linux\t12", "os\tUbuntu\t26.04", StringComparison.Ordinal));
        Assert.Equal(CheckLevel.Pass, ImageChecks.Evaluate(facts, SupportedReleases.Default.With(["Ubuntu 26.04"])).Single(c => c.Id == 2).Level);
    }

    [Fact]
    public void Missing_cloud_init_fails()
    {
        Assert.Equal(CheckLevel.Fail, Check(Evaluate(CleanDebian.Replace("cloudinit\t/usr/bin/cloud-init", "cloudinit\t", StringComparison.Ordinal)), 3).Level);
    }

    [Theory]
    [InlineData("ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\nNAME=\"Ubuntu\"", PackageFamily.Apt)]
    [InlineData("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\nNAME=\"Rocky Linux\"", PackageFamily.Dnf)]
    [InlineData("ID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\nNAME=\"CentOS Linux\"", PackageFamily.Yum)]
    public void Package_manager_is_detected_from_os_release(string osRelease, PackageFamily family)
    {
        Assert.Equal(family, LinuxDistribution.Parse(osRelease).Family);
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
        Assert.Contains("dnf -y upgrade", ImageScripts.Cleanup);
        Assert.Contains("yum -y update", ImageScripts.Cleanup);
    }
}
