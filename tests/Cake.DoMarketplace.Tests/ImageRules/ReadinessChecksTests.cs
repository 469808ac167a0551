using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.Tests.ImageRules;

public sealed class ReadinessChecksTests
{
    private static IReadOnlyList<ReadinessFinding> Evaluate(string facts) => ReadinessChecks.Evaluate(FirstBootFacts.Script.Parse(facts));

    [Fact]
    public void A_per_once_record_left_behind_is_reported_with_the_fix()
    {
        var findings = Evaluate(
            "script\tper-once\t/var/lib/cloud/scripts/per-once/01-a.sh\tx\t#!\t0\nper_once_record\t/var/lib/cloud/sem/config_scripts_per_once.once\n");

        var warning = Assert.Single(findings, f => f.Level == CheckLevel.Warn);
        Assert.Contains("will NOT run", warning.Message);
        Assert.Contains("DoCleanupImage", warning.Message);
    }

    [Theory]
    [InlineData("script\tper-instance\t/var/lib/cloud/scripts/per-instance/01-a.sh\t-\t#!\t0", "not executable")]
    [InlineData("script\tper-instance\t/var/lib/cloud/scripts/per-instance/01-a.sh\tx\t#!\t3", "CRLF")]
    [InlineData("script\tper-boot\t/var/lib/cloud/scripts/per-boot/01-a.sh\tx\tec\t0", "no shebang")]
    [InlineData("script\tper-boot\t/var/lib/cloud/scripts/per-boot/setup.sh\tx\t#!\t0", "order prefix")]
    [InlineData("motd\t/etc/update-motd.d/99-app\t-", "not be shown")]
    [InlineData("first_login\t/opt/acme/setup.sh\tpresent\tx\techo done\tguarded", "runs on every login")]
    [InlineData("first_login\t/opt/acme/setup.sh\tpresent\tx\tcp -f /etc/skel/.bashrc /root/.bashrc\tbare", "every bash over SSH")]
    [InlineData("first_login\t/opt/acme/setup.sh\tmissing\t-\t\tguarded", "missing")]
    public void Each_first_boot_mistake_is_a_warning(string fact, string expected)
    {
        var finding = Assert.Single(Evaluate(fact + "\n"));
        Assert.Equal(CheckLevel.Warn, finding.Level);
        Assert.Contains(expected, finding.Message);
    }

    [Fact]
    public void Correct_scripts_motd_and_first_login_pass()
    {
        var findings = Evaluate(
            "script\tper-once\t/var/lib/cloud/scripts/per-once/01-a.sh\tx\t#!\t0\n" +
            "motd\t/etc/update-motd.d/99-app\tx\n" +
            "first_login\t/opt/acme/setup.sh\tpresent\tx\tcp -f /etc/skel/.bashrc /root/.bashrc\tguarded\n");

        Assert.Equal(4, findings.Count);
        Assert.All(findings, f => Assert.Equal(CheckLevel.Pass, f.Level));
    }
}
