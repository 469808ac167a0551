using Cake.Core;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>
/// On real Debian droplets of the local cloud, through the aliases: remote commands get no input (a mariadb-style
/// question in root's .bashrc does not hang them), and an image locked as DigitalOcean's marketplace-partners sample
/// locks root until its first-boot script is done (<c>Match User root</c> + <c>ForceCommand echo "Please wait…"</c>)
/// cannot fool DoTestImage: it waits for the lock to lift, saying so, then checks the image for real; a lock that never
/// lifts ends in a timeout quoting the answer, with the test droplet and its key gone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NotReadyLoginOnLocalCloudTests(NotReadyLoginOnLocalCloudTests.Cloud cloud)
    : IClassFixture<NotReadyLoginOnLocalCloudTests.Cloud>, IDisposable
{
    private const string PleaseWait = "Please wait while we get your droplet ready...";
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false };

    // Only turns a hang into a failure: nothing here asserts on time.
    private static readonly RemoteCommandSettings Limited = new() { Timeout = TimeSpan.FromMinutes(2) };

    private readonly string work = Directory.CreateTempSubdirectory("cdm-notready-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void A_command_reading_input_and_a_bashrc_asking_a_question_get_end_of_file_instead_of_hanging()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "stdin-closed");
        try
        {
            Assert.Equal("got: status:1\n", context.DoRunRemote(droplet, "read x; echo \"got:$x status:$?\"", Limited).StandardOutput);

            // What droplet-1-clicks' mariadb template does: an interactive script appended to root's .bashrc, which
            // Debian's bash reads for every command sshd starts (it has no interactive-only guard).
            context.DoRunRemote(droplet, "printf '%s\\n' 'echo \"Enter the new MariaDB root password:\"' 'read -r password' >> /root/.bashrc", Quiet);
            var after = context.DoRunRemote(droplet, "echo after-the-bashrc", Limited);

            Assert.Equal("after-the-bashrc\n", after.StandardOutput);
            Assert.Contains("[stdin-closed] (printed by the login before the command ran) Enter the new MariaDB root password:", log.AllText,
                StringComparison.Ordinal);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public void The_image_test_waits_for_a_please_wait_login_to_lift_says_so_and_then_reads_real_facts()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        var imageId = cloud.LockedImage(context, work);

        var report = context.DoTestImage(imageId, s =>
        {
            s.Name = "lock-lifts";
            s.Reboot = false;
            s.FailOnError = false;
            s.ReportDirectory = Path.Combine(work, "report");
        });

        var checks = string.Join("\n", report.Checks.Select(c => $"{c.Id} {c.Level} {c.Message}"));
        Assert.Contains($"[lock-lifts] the login answered '{PleaseWait}' (exit status 0) instead of running the command: sshd runs a ForceCommand for root",
            log.AllText, StringComparison.Ordinal);
        Assert.Equal(CheckLevel.Pass, report.Checks.Single(c => c.Id == 1).Level);
        var perInstance = report.Checks.Single(c => c.Id == 2);
        Assert.True(perInstance.Level == CheckLevel.Pass, checks);
        Assert.Equal("1 per-instance script(s) ran on this droplet's first boot.", perInstance.Message); // not "The image has no per-instance scripts"
        Assert.StartsWith("Debian GNU/Linux ", report.OperatingSystem);
        var markdown = File.ReadAllText(Directory.GetFiles(Path.Combine(work, "report"), "*.md").Single());
        Assert.Contains($"- Operating system: {report.OperatingSystem}", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain($"- Operating system: {imageId}", markdown, StringComparison.Ordinal);
        Assert.Empty(cloud.Leftovers());
    }

    [Fact]
    public async Task A_lock_that_never_lifts_ends_the_image_test_with_a_timeout_quoting_the_answer_and_nothing_left()
    {
        var context = cloud.Context(new RecordingLog(), work);
        var imageId = cloud.LockedImage(context, work);

        var error = Assert.Throws<WaitTimeoutException>(() => context.DoTestImage(imageId, s =>
        {
            s.Name = "stays-locked"; // the image's first-boot script keeps the lock on a droplet of that name
            s.BootTimeout = TimeSpan.FromSeconds(20);
            s.ReportDirectory = null;
        }));

        Assert.Equal("TestImageSettings.BootTimeout", error.Setting);
        Assert.Contains($"last state seen: the login answered '{PleaseWait}' (exit status 0) instead of running the command.", error.Message);
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
        Assert.Empty(await api.ListSshKeysAsync());
        Assert.Empty(cloud.Leftovers());
    }

    /// <summary>A local cloud that builds the locked image once for the class.</summary>
    public sealed class Cloud : LocalCloudFixture
    {
        private readonly Lock gate = new();
        private long? lockedImage;

        /// <summary>
        /// An image whose sshd_config ends with the sample's lock and whose per-instance script lifts it (and restarts
        /// sshd) once a login has met it, so the wait is seen without a clock; on a droplet named stays-locked it stays.
        /// </summary>
        public long LockedImage(ICakeContext context, string work)
        {
            lock (gate)
            {
                return lockedImage ??= Build(context, work);
            }
        }

        private static long Build(ICakeContext context, string work)
        {
            var lift = Path.Combine(work, "01-lift-login-lock.sh");
            File.WriteAllText(lift, """
                #!/bin/sh
                case "$(hostname)" in *stays-locked*) exit 0 ;; esac
                i=0
                while [ "$i" -lt 600 ] && ! journalctl -b -q --no-pager 2>/dev/null | grep -q 'Accepted publickey for root'; do
                  i=$((i + 1))
                  sleep 0.2
                done
                sed -i '/^Match User root$/,$d' /etc/ssh/sshd_config
                systemctl restart ssh
                """.Replace("\r\n", "\n", StringComparison.Ordinal));
            var droplet = context.DoCreateBuildDroplet(s => s.Name = "locked-image-build");
            try
            {
                context.DoInstallPerInstanceScript(droplet, lift);
                context.DoRunRemote(droplet, "rm -rf /var/lib/cloud/instances/* /var/lib/cloud/instance", Quiet);

                // Last: this droplet's sshd is not restarted, so the lock first applies on droplets made from the image.
                context.DoRunRemote(droplet,
                    $"printf '%s\\n' 'Match User root' '  ForceCommand echo \"{PleaseWait}\"' >> /etc/ssh/sshd_config && sshd -t", Quiet);
                return context.DoSnapshot(droplet, s => s.Name = "locked-image").ImageId;
            }
            finally
            {
                context.DoDestroyDroplet(droplet);
            }
        }
    }
}
