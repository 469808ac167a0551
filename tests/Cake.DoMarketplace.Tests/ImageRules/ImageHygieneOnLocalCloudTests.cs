using Cake.Core;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageRules;

/// <summary>
/// Validation and cleanup on real machines: a clean image has no FAIL; then one flaw at a time is planted in a fresh
/// droplet, caught at its level, and — where cleanup is meant to — removed by DoCleanupImage.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ImageHygieneOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private static readonly CleanupSettings QuickCleanup = new() { UpdatePackages = false, FreeSpace = FreeSpaceHandling.Skip };

    private const string SecurityRepo = """
        set -e
        mkdir -p /srv/security-repo/build/DEBIAN && cd /srv/security-repo
        printf 'Package: local-security-fix\nVersion: 1.0\nArchitecture: all\nMaintainer: tests <t@example.invalid>\n%s\n' \
          'Description: installed version' > build/DEBIAN/control
        dpkg-deb -b build local-security-fix_1.0_all.deb >/dev/null && dpkg -i local-security-fix_1.0_all.deb >/dev/null
        sed -i 's/^Version: 1.0/Version: 2.0/; s/installed version/security fix/' build/DEBIAN/control
        dpkg-deb -b build local-security-fix_2.0_all.deb >/dev/null && rm local-security-fix_1.0_all.deb
        size=$(stat -c %s local-security-fix_2.0_all.deb); sha=$(sha256sum local-security-fix_2.0_all.deb | cut -d' ' -f1)
        { cat build/DEBIAN/control; printf 'Filename: ./local-security-fix_2.0_all.deb\nSize: %s\nSHA256: %s\n\n' "$size" "$sha"; } > Packages
        printf 'Origin: Debian-Security\nLabel: Debian-Security\nSuite: bookworm-security\nCodename: bookworm-security\nDate: %s\nSHA256:\n %s %s Packages\n' \
          "$(date -uR)" "$(sha256sum Packages | cut -d' ' -f1)" "$(stat -c %s Packages)" > Release
        echo 'deb [trusted=yes] file:/srv/security-repo ./' > /etc/apt/sources.list.d/local-security.list
        """;

    private ICakeContext Context(RecordingLog log) => cloud.Context(log, cloud.DataDirectory);

    [Fact]
    public void A_cleaned_image_has_no_failing_check()
    {
        var context = Context(new RecordingLog());
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "clean-image");
        try
        {
            var before = context.DoValidateImage(droplet, s => { s.FailOnError = false; s.RefreshPackageIndex = false; s.ReportDirectory = null; });
            Assert.Equal(CheckLevel.Fail, before.Checks.Single(c => c.Id == 14).Level); // the build key itself

            context.DoCleanupImage(droplet, s => s.FreeSpace = FreeSpaceHandling.Skip);
            var after = context.DoValidateImage(droplet, s => s.ReportDirectory = null);

            Assert.False(after.HasFailures, after.Summary);
            Assert.DoesNotContain(after.Checks, c => c.Level == CheckLevel.Fail);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public void DigitalOceans_agents_on_a_build_droplet_fail_the_validation_and_the_cleanup_removes_them_and_says_so()
    {
        var log = new RecordingLog();
        var context = Context(log);
        var droplet = context.DoCreateBuildDroplet(s =>
        {
            s.Name = "agent-image";
            s.DropletAgent = true;
        });
        try
        {
            // As DigitalOcean installs them: the droplet agent (asked for), and do-agent by hand as monitoring would.
            context.DoRunRemote(droplet,
                "curl -fsS -o /tmp/do-agent.deb http://169.254.169.254/local-cloud/packages/do-agent.deb && dpkg -i /tmp/do-agent.deb >/dev/null && rm "
                + "/tmp/do-agent.deb", new RemoteCommandSettings { LogOutput = false });
            Assert.Equal("active\nactive\n",
                context.DoRunRemote(droplet, "systemctl is-active droplet-agent do-agent", new RemoteCommandSettings { LogOutput = false }).StandardOutput);
            var before = context.DoValidateImage(droplet, s => { s.FailOnError = false; s.RefreshPackageIndex = false; s.ReportDirectory = null; });
            Assert.Equal(CheckLevel.Fail, before.Checks.Single(c => c.Id == 18).Level);

            context.DoCleanupImage(droplet, QuickCleanup);

            Assert.Contains(log.Lines, l => l.Text.Contains("droplet-agent (DigitalOcean's agent): purged", StringComparison.Ordinal));
            Assert.Contains(log.Lines, l => l.Text.Contains("do-agent (DigitalOcean's agent): purged", StringComparison.Ordinal));
            var after = context.DoValidateImage(droplet, s => { s.FailOnError = false; s.RefreshPackageIndex = false; s.ReportDirectory = null; });
            Assert.Equal(CheckLevel.Pass, after.Checks.Single(c => c.Id == 18).Level);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    public static TheoryData<string, string, int, CheckLevel, bool> Flaws => new()
    {
        // flaw, plant command, check id, level seen, removed by cleanup
        { "root password set", "echo 'root:Secret-123' | chpasswd", 13, CheckLevel.Fail, false },
        { "user with a password", "useradd -m -s /bin/bash ann && echo 'ann:Secret-123' | chpasswd", 8, CheckLevel.Fail, false },
        { "root authorized_keys",
            "mkdir -p /root/.ssh && echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFake left@behind' > "
            + "/root/.ssh/authorized_keys", 14, CheckLevel.Fail, true },
        { "user authorized_keys",
            "useradd -m bob && mkdir -p /home/bob/.ssh && echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFake left@behind' > "
            + "/home/bob/.ssh/authorized_keys", 9, CheckLevel.Fail, true },
        { "root id_rsa", "mkdir -p /root/.ssh && head -c 1600 /dev/urandom | base64 > /root/.ssh/id_rsa", 15, CheckLevel.Fail, false },
        { "user id_rsa (empty)", "useradd -m cid && mkdir -p /home/cid/.ssh && : > /home/cid/.ssh/id_rsa", 10, CheckLevel.Warn, false },
        { "big known_hosts",
            "mkdir -p /root/.ssh && for i in 1 2 3; do echo \"host$i ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake$i\"; done > /root/.ssh/known_hosts", 16,
            CheckLevel.Warn, false },
        { "root bash history", "seq 1 100 | sed 's/^/echo secret /' > /root/.bash_history", 17, CheckLevel.Fail, true },
        { "user bash history", "useradd -m dee && seq 1 100 | sed 's/^/echo secret /' > /home/dee/.bash_history", 12, CheckLevel.Fail, true },
        { "rotated logs",
            "echo old > /var/log/syslog.1 && echo old | gzip > /var/log/auth.log.2.gz && echo old > /var/log/messages-20251101 && : > /var/log/myapp-boot.log",
            6, CheckLevel.Warn, true },
        { "non-empty .log files", "seq 1 200 > /var/log/myapp.log", 7, CheckLevel.Warn, true },
        { "/opt/digitalocean", "mkdir -p /opt/digitalocean/bin && echo agent > /opt/digitalocean/bin/agent", 18, CheckLevel.Fail, true },
        { "firewall installed but off",
            "DEBIAN_FRONTEND=noninteractive apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -y -qq install ufw >/dev/null", 4,
            CheckLevel.Warn, false },
        { "pending security update", SecurityRepo, 5, CheckLevel.Fail, true },
        { "missing cloud-init", "DEBIAN_FRONTEND=noninteractive apt-get -y -qq remove cloud-init >/dev/null", 3, CheckLevel.Fail, false },
        { "unsupported release", "sed -i 's/^VERSION_ID=.*/VERSION_ID=\"8\"/' /usr/lib/os-release", 2, CheckLevel.Fail, false },
        { "/tmp not 1777", "chmod 755 /tmp", 19, CheckLevel.Warn, true },
    };

    [Theory]
    [MemberData(nameof(Flaws))]
    public void Each_planted_flaw_is_caught_at_its_level_and_cleanup_removes_what_it_should(string flaw, string plant, int checkId, CheckLevel level,
        bool removedByCleanup)
    {
        var log = new RecordingLog();
        var context = Context(log);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "flaw-" + string.Concat(flaw.Where(char.IsLetterOrDigit)).ToLowerInvariant());
        try
        {
            context.DoCleanupImage(droplet, QuickCleanup);
            context.DoRunRemote(droplet, plant, new RemoteCommandSettings { LogOutput = false });
            var refresh = checkId == 5;

            var found = context.DoValidateImage(droplet, s => { s.FailOnError = false; s.RefreshPackageIndex = refresh; s.ReportDirectory = null; });

            var check = found.Checks.Single(c => c.Id == checkId);
            Assert.True(check.Level == level, $"{flaw}: check {checkId} is {check.Level} ({check.Message}), expected {level}");
            Assert.All(found.Checks.Where(c => c.Id != checkId && c.Id != 4 && c.Level == CheckLevel.Fail), c
                => Assert.Fail($"{flaw} also failed check {c.Id}: {c.Message}"));

            if (removedByCleanup)
            {
                context.DoCleanupImage(droplet, s => { s.UpdatePackages = checkId == 5; s.FreeSpace = FreeSpaceHandling.Skip; });
                var after = context.DoValidateImage(droplet, s => { s.FailOnError = false; s.RefreshPackageIndex = refresh; s.ReportDirectory = null; });
                var recheck = after.Checks.Single(c => c.Id == checkId);
                Assert.True(recheck.Level == CheckLevel.Pass, $"{flaw}: cleanup left check {checkId} at {recheck.Level} ({recheck.Message})\n{log.AllText}");
            }
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public void Cleanup_on_a_dnf_distribution_sends_the_dnf_commands()
    {
        var context = Context(new RecordingLog());
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "dnf-family");
        try
        {
            // A Rocky Linux identity and recording stand-ins for dnf and rpm, on a disposable droplet.
            context.DoRunRemote(droplet, """
                printf 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n' > /usr/lib/os-release
                for tool in dnf rpm; do
                    printf '#!/bin/sh\necho "%s $*" >> /root/package-commands.log\n[ "$1" = "-q" ] && exit 1\nexit 0\n' "$tool" > /usr/local/bin/$tool
                    chmod 755 /usr/local/bin/$tool
                done
                """, new RemoteCommandSettings { LogOutput = false });

            context.DoCleanupImage(droplet, s => s.FreeSpace = FreeSpaceHandling.Skip);
            var commands = context.DoRunRemote(droplet, "cat /root/package-commands.log", new RemoteCommandSettings { LogOutput = false }).StandardOutput;

            // The package list (rpm -qa) is read before and after the update, to say what changed.
            var lines = commands.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["dnf -y -q upgrade", "dnf -y -q autoremove", "dnf clean all -q", "rpm -q droplet-agent", "rpm -q do-agent"],
                lines.Where(l => !l.StartsWith("rpm -qa ", StringComparison.Ordinal)));
            Assert.StartsWith("rpm -qa ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("rpm -qa ", lines[^3], StringComparison.Ordinal);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }
}
