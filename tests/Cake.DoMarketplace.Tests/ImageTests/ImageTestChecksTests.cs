using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;

namespace Cake.DoMarketplace.Tests.ImageTests;

public sealed class ImageTestChecksTests
{
    private const string OurKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOurs image-test";

    // The droplet was made at 1000; its first boot ran both stages at 1010.
    private const string Os = "os\tDebian GNU/Linux 12 (bookworm)\n";

    private const string FirstBoot = Os +
                                     "instance\ti-42\t1000\n" +
                                     "status\tdone\n" +
                                     "errors\t0\n" +
                                     "script\tper-instance\t/var/lib/cloud/scripts/per-instance/01-config.sh\n" +
                                     "script\tper-once\t/var/lib/cloud/scripts/per-once/01-password.sh\n" +
                                     "sem\tper-once\t1010\n" +
                                     "sem\tper-instance\t1010\n" +
                                     "motd\t/etc/update-motd.d/99-acme\tWelcome to Acme!\n" +
                                     "hook\t/opt/acme/first-login.sh\n" +
                                     "authorized_key\t" + OurKey + "\n";

    private const string AfterLogin = Os + "instance\ti-42\t1000\nstatus\tdone\nerrors\t0\nsem\tper-once\t1010\nsem\tper-instance\t1010\nauthorized_key\t"
        + OurKey + "\n";

    private const string Login = "\u001b[1mWelcome to Acme!\u001b[0m\r\nroot@acme:~# ";

    private static readonly ValidationReport CleanValidation = Report(
        new ValidationCheck(14, "No root authorized_keys", CheckLevel.Fail, "the customer's key", []));

    private static ImageTestObservations Seen(
        string firstBoot = FirstBoot,
        string login = Login,
        string afterFirstLogin = AfterLogin,
        string afterSecondLogin = AfterLogin,
        string? afterReboot = AfterLogin,
        string? hostKey = "SHA256:test",
        ValidationReport? validation = null) =>
        new(
            Parse(firstBoot),
            login,
            Parse(afterFirstLogin),
            Parse(afterSecondLogin),
            afterReboot is null ? null : Parse(afterReboot),
            OurKey,
            hostKey,
            "SHA256:build",
            validation ?? CleanValidation);

    private static ImageFacts Parse(string facts) => ImageTestFacts.Script.Parse(facts);

    private static ValidationReport Report(params ValidationCheck[] checks) => new("test", "Debian GNU/Linux 12", DateTimeOffset.UnixEpoch, checks);

    private static ValidationCheck Check(ImageTestObservations seen, int id) => ImageTestChecks.Evaluate(seen).Single(c => c.Id == id);

    [Fact]
    public void A_droplet_that_meets_the_image_as_a_customer_should_passes_checks_one_to_eight()
    {
        var checks = ImageTestChecks.Evaluate(Seen());

        Assert.Equal(Enumerable.Range(1, 8), checks.Select(c => c.Id));
        Assert.All(checks, c => Assert.Equal(CheckLevel.Pass, c.Level));
        Assert.Equal("cloud-init finished its first boot without errors.", checks[0].Message);
        Assert.Equal("1 per-instance script(s) ran on this droplet's first boot.", checks[1].Message);
        Assert.Equal("1 per-once script(s) ran on this droplet's first boot.", checks[2].Message);
        Assert.Equal("1 MOTD script(s) shown at the interactive login.", checks[3].Message);
        Assert.Equal("/opt/acme/first-login.sh ran at the first login and removed its hook.", checks[4].Message);
        Assert.Equal("Only this droplet's own key is authorized, and its host key is its own.", checks[5].Message);
        Assert.Equal("After a reboot, cloud-init's per-once and per-instance records are unchanged: nothing ran twice.", checks[6].Message);
        Assert.StartsWith("Nothing fails on the new droplet but what a customer's droplet has: check 14", checks[7].Message);
    }

    [Fact]
    public void Without_a_reboot_check_seven_is_left_out()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6, 8], ImageTestChecks.Evaluate(Seen(afterReboot: null)).Select(c => c.Id));
    }

    [Fact]
    public void An_image_without_scripts_motd_or_hook_passes_saying_so()
    {
        var checks = ImageTestChecks.Evaluate(
            Seen(firstBoot: Os + "instance\ti-42\t1000\nstatus\tdone\nerrors\t0\nsem\tper-once\t0\nsem\tper-instance\t0\nauthorized_key\t" + OurKey + "\n"));

        Assert.All(checks, c => Assert.Equal(CheckLevel.Pass, c.Level));
        Assert.Equal("The image has no per-instance scripts.", checks[1].Message);
        Assert.Equal("The image has no per-once scripts.", checks[2].Message);
        Assert.Equal("The image sets no 99-* MOTD.", checks[3].Message);
        Assert.Equal("The image has no first-login hook in /root/.bashrc.", checks[4].Message);
    }

    [Fact]
    public void Check_1_a_first_boot_with_errors_fails()
    {
        var check = Check(
            Seen(
            firstBoot: FirstBoot.Replace("status\tdone", "status\terror", StringComparison.Ordinal).Replace("errors\t0", "errors\t2",
            StringComparison.Ordinal)), 1);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal("cloud-init status 'error' with 2 error(s): a first-boot script or module failed (see /var/log/cloud-init-output.log).", check.Message);
        Assert.Equal(["status error", "errors 2"], check.Evidence);
    }

    [Fact]
    public void Check_2_per_instance_scripts_cloud_init_never_ran_fail()
    {
        var check = Check(Seen(firstBoot: FirstBoot.Replace("sem\tper-instance\t1010", "sem\tper-instance\t0", StringComparison.Ordinal)), 2);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal("1 per-instance script(s) did not run on first boot: cloud-init never ran them.", check.Message);
        Assert.Equal(["/var/lib/cloud/scripts/per-instance/01-config.sh"], check.Evidence);
    }

    [Fact]
    public void Check_3_per_once_scripts_whose_record_predates_the_droplet_fail_with_the_fix()
    {
        var check = Check(Seen(firstBoot: FirstBoot.Replace("sem\tper-once\t1010", "sem\tper-once\t900", StringComparison.Ordinal)), 3);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.StartsWith("1 per-once script(s) did not run on first boot: cloud-init's record dates from 1970-01-01 00:15:00Z, before this droplet existed",
            check.Message);
        Assert.Contains("(DoCleanupImage clears it)", check.Message);
    }

    [Fact]
    public void Check_4_a_motd_missing_from_the_login_fails_with_the_plain_transcript()
    {
        var check = Check(Seen(login: "\u001b[1mLast login: today\u001b[0m\r\nroot@acme:~# "), 4);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal("Not shown at login: /etc/update-motd.d/99-acme.", check.Message);
        Assert.Equal(["/etc/update-motd.d/99-acme", "login transcript: Last login: today\nroot@acme:~# "], check.Evidence);
    }

    [Fact]
    public void Check_5_a_hook_left_after_the_first_login_fails()
    {
        var check = Check(Seen(afterFirstLogin: AfterLogin + "hook\t/opt/acme/first-login.sh\n"), 5);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal("The hook is still in /root/.bashrc after the first login (/opt/acme/first-login.sh): it will run at every login.", check.Message);
    }

    [Fact]
    public void Check_5_a_hook_back_after_the_second_login_fails()
    {
        var check = Check(Seen(afterSecondLogin: AfterLogin + "hook\t/opt/acme/first-login.sh\n"), 5);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Contains("still in /root/.bashrc after the first login (/opt/acme/first-login.sh)", check.Message);
    }

    [Fact]
    public void Check_6_a_foreign_key_and_the_build_droplets_host_key_fail()
    {
        const string Build = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuildDropletTemporaryKeyThatSurvivedTheCleanup build";
        var check = Check(Seen(firstBoot: FirstBoot + "authorized_key\t" + Build + "\n", hostKey: "SHA256:build"), 6);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal(
            "1 key(s) in /root/.ssh/authorized_keys besides the one this droplet was created with; " +
            "the SSH host key SHA256:build is the build droplet's: every droplet from the image would share it.",
            check.Message);
        Assert.Equal([Build[..60] + "…"], check.Evidence);
    }

    [Fact]
    public void Check_7_first_boot_scripts_run_again_after_a_reboot_fail()
    {
        var check = Check(Seen(afterReboot: AfterLogin.Replace("sem\tper-once\t1010", "sem\tper-once\t2000", StringComparison.Ordinal)), 7);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal("per-once scripts ran again after a reboot.", check.Message);
        Assert.Equal(["per-once"], check.Evidence);
    }

    [Fact]
    public void Check_8_a_marketplace_check_failing_on_the_customer_droplet_fails_but_the_customers_own_key_does_not()
    {
        var validation = Report(
            new ValidationCheck(14, "No root authorized_keys", CheckLevel.Fail, "the customer's key", []),
            new ValidationCheck(13, "Root password locked", CheckLevel.Fail, "root has a password (set).", []),
            new ValidationCheck(7, "Logs cleared", CheckLevel.Warn, "2 log file(s) over 50 bytes.", []));

        var check = Check(Seen(validation: validation), 8);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal("Failing on a customer droplet: 13. Root password locked: root has a password (set).", check.Message);
        Assert.Equal(["Root password locked"], check.Evidence);
        Assert.Equal(
            "Nothing fails on the new droplet but what a customer's droplet has: check 14 finds the customer's own key in root's authorized_keys (0 passed, "
                + "1 warnings).",
            Check(Seen(validation: Report(validation.Checks[0], validation.Checks[2])), 8).Message);
    }

    [Fact]
    public void Check_8_DigitalOceans_agent_on_the_customer_droplet_is_what_DigitalOcean_installs_there_not_a_failure()
    {
        var agent = new ValidationCheck(18, "DigitalOcean agent absent", CheckLevel.Fail, "/opt/digitalocean exists", []);
        var key = new ValidationCheck(14, "No root authorized_keys", CheckLevel.Fail, "the customer's key", []);

        var check = Check(Seen(validation: Report(key, agent)), 8);

        Assert.Equal(CheckLevel.Pass, check.Level);
        Assert.Equal(
            "Nothing fails on the new droplet but what a customer's droplet has: check 14 finds the customer's own key in root's authorized_keys; "
            + "check 18 finds the droplet agent DigitalOcean installed on the new droplet (0 passed, 0 warnings).",
            check.Message);
        Assert.Equal("Nothing fails on the new droplet (0 passed, 0 warnings).", Check(Seen(validation: Report()), 8).Message);
    }

    /// <summary>
    /// The login: the marketplace-partners sample's ForceCommand answered instead of the fact script. Its text is
    /// never read as facts (no "The image has no per-instance scripts" PASS): the facts are an error that shows it.
    /// </summary>
    [Fact]
    public void A_not_ready_message_instead_of_the_facts_is_an_error_showing_it_never_a_pass()
    {
        var error = Assert.Throws<FactRecordsException>(() => ImageTestFacts.Script.Parse("Please wait while we get your droplet ready...\n", "image-test-42"));

        Assert.StartsWith("image-test-facts.sh on image-test-42 printed line 1, which is none of its records (os, instance, status", error.Message);
        Assert.Contains("'Please wait while we get your droplet ready...'", error.Message);
        Assert.Contains("no check is passed or failed on it", error.Message);
        Assert.Equal("image-test-facts.sh", error.Script);
    }

    [Fact]
    public void Nothing_at_all_is_an_error_naming_the_records_every_run_prints()
    {
        var error = Assert.Throws<FactRecordsException>(()
            => ImageTestFacts.Script.Parse(string.Empty, "image-test-42", "bash: cloud-init: command not found\n"));

        Assert.StartsWith("image-test-facts.sh on image-test-42 printed no 'os', 'instance', 'status', 'errors', 'sem' record, which it prints on every run.",
            error.Message);
        Assert.Contains("What came back on stdout: nothing; on stderr: " + Environment.NewLine + "  bash: cloud-init: command not found", error.Message);
    }

    [Fact]
    public void A_stage_without_its_record_is_an_error_not_scripts_that_never_ran_or_did_not_run_again()
    {
        var withoutInstanceRecord = string.Join('\n', FirstBoot.Split('\n').Where(l => !l.StartsWith("sem\tper-instance", StringComparison.Ordinal)));

        var error = Assert.Throws<FactRecordsException>(() => ImageTestChecks.Evaluate(Seen(firstBoot: withoutInstanceRecord)));

        Assert.StartsWith("image-test-facts.sh on the droplet printed no 'sem' record for the per-instance stage.", error.Message);
        Assert.Contains("sem\tper-once\t1010", error.Message);
        Assert.Throws<FactRecordsException>(()
            => ImageTestChecks.Evaluate(Seen(afterReboot: AfterLogin.Replace("sem\tper-once\t1010\n", string.Empty, StringComparison.Ordinal))));
    }

    [Fact]
    public void Check_6_fails_when_the_key_the_test_logged_in_with_is_not_among_the_keys_read()
    {
        var check = Check(Seen(firstBoot: FirstBoot.Replace("authorized_key\t" + OurKey + "\n", string.Empty, StringComparison.Ordinal)), 6);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.StartsWith("/root/.ssh/authorized_keys does not hold the key this droplet was created with, yet the test logged in with it", check.Message);
        Assert.Contains("it is not known which keys survived (0 line(s) read)", check.Message);
    }

    [Fact]
    public void Check_1_says_when_cloud_inits_result_could_not_be_read()
    {
        var check = Check(
            Seen(
            firstBoot: FirstBoot.Replace("status\tdone", "status\trunning", StringComparison.Ordinal).Replace("errors\t0", "errors\t-1",
            StringComparison.Ordinal)), 1);

        Assert.Equal(CheckLevel.Fail, check.Level);
        Assert.Equal(
            "cloud-init status 'running', and its result.json (the errors of the boot) could not be read: the first boot did not finish (see "
            + "/var/log/cloud-init-output.log).", check.Message);
        Assert.Equal(["status running", "errors unknown"], check.Evidence);
    }

    [Fact]
    public void The_report_names_the_operating_system_by_its_pretty_name_not_the_image_id()
    {
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", ImageTester.OperatingSystem(Parse(FirstBoot)));
        Assert.Equal("unknown (/etc/os-release has no PRETTY_NAME)",
            ImageTester.OperatingSystem(Parse(FirstBoot.Replace(Os, "os\t\n", StringComparison.Ordinal))));
    }
}
