using Cake.Core;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageRules;

/// <summary>
/// First-boot scripts installed through the aliases, proven where it counts: on a droplet made from the snapshot,
/// per-once and per-instance scripts run exactly once, and not again after a reboot. Without the cleanup, per-once
/// silently does not run — and DoCheckImageReadiness says so before the snapshot.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FirstBootOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false };
    private readonly string scripts = Directory.CreateTempSubdirectory("cdm-firstboot-").FullName;

    public void Dispose() => Directory.Delete(scripts, true);

    private ICakeContext Context() => cloud.Context(new RecordingLog(), scripts);

    private long BuildImage(ICakeContext context, string name, bool cleanup, Action<ReadinessReport> inspect)
    {
        File.WriteAllText(Path.Combine(scripts, "01-once.sh"), "#!/bin/sh\necho \"once on $(hostname)\" >> /root/per-once.txt\n");
        File.WriteAllText(Path.Combine(scripts, "02-instance.sh"), "#!/bin/sh\necho \"instance on $(hostname)\" >> /root/per-instance.txt\n");
        var droplet = context.DoCreateBuildDroplet(s => s.Name = name);
        try
        {
            context.DoInstallPerOnceScript(droplet, Path.Combine(scripts, "01-once.sh"));
            context.DoInstallPerInstanceScript(droplet, Path.Combine(scripts, "02-instance.sh"));
            File.WriteAllText(Path.Combine(scripts, "setup.sh"), "#!/bin/bash\necho 'first login setup running'\ntouch /root/first-login-ran\n");
            context.DoInstallFirstLoginScript(droplet, Path.Combine(scripts, "setup.sh"), s => s.Company = "acme");
            context.DoSetMotd(droplet, "acme", "Welcome to the Acme 1-Click test image.");
            if (cleanup)
            {
                context.DoCleanupImage(droplet, s => { s.UpdatePackages = false; s.FreeSpace = FreeSpaceHandling.Skip; });
            }
            else
            {
                // What the guide's cleanup does: instances only, the per-once record stays.
                context.DoRunRemote(droplet, "rm -rf /var/lib/cloud/instances/* /var/lib/cloud/instance", Quiet);
            }

            inspect(context.DoCheckImageReadiness(droplet));
            return context.DoSnapshot(droplet, s => s.Name = name + "-image").ImageId;
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public void Per_once_and_per_instance_scripts_run_exactly_once_on_a_droplet_from_the_snapshot_and_not_after_a_reboot()
    {
        var context = Context();
        var imageId = BuildImage(context, "firstboot-clean", cleanup: true, report => Assert.Empty(report.Warnings));
        var customer = context.DoCreateBuildDroplet(s =>
        {
            s.Name = "customer-1";
            s.Image = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        try
        {
            Assert.Equal("once on customer-1\n", context.DoRunRemote(customer, "cat /root/per-once.txt", Quiet).StandardOutput);
            Assert.Equal("instance on customer-1\n", context.DoRunRemote(customer, "cat /root/per-instance.txt", Quiet).StandardOutput);

            context.DoRunRemote(customer, "reboot", new RemoteCommandSettings { ExpectReboot = true, AllowNonZeroExit = true });
            context.DoRunRemote(customer, "cloud-init status --wait", Quiet);

            Assert.Equal("once on customer-1\n", context.DoRunRemote(customer, "cat /root/per-once.txt", Quiet).StandardOutput);
            Assert.Equal("instance on customer-1\n", context.DoRunRemote(customer, "cat /root/per-instance.txt", Quiet).StandardOutput);
        }
        finally
        {
            context.DoDestroyDroplet(customer);
        }

        try
        {
            var report = context.DoTestImage(imageId, s => { s.ReportDirectory = null; s.FailOnError = false; });
            Assert.False(report.HasFailures, string.Join("\n", report.Checks.Select(c => $"{c.Id} {c.Level} {c.Message} {string.Join(" | ", c.Evidence)}")));
            Assert.Equal(18, report.Checks.Count); // 8 image checks, then the app checks (9–13) after the first boot and (14–18) after the reboot
            Assert.Equal(CheckLevel.Pass, report.Checks.Single(c => c.Id == 9).Level);
            Assert.Contains("MOTD script(s) shown", report.Checks.Single(c => c.Id == 4).Message);
            Assert.Contains("/opt/acme/setup.sh ran at the first login", report.Checks.Single(c => c.Id == 5).Message);
        }
        finally
        {
            context.DoDeleteSnapshot(imageId, new DoApiSettings());
        }
    }

    [Fact]
    public void Without_clearing_cloud_init_state_per_once_never_runs_and_readiness_warns_before_the_snapshot()
    {
        var context = Context();
        ReadinessReport? readiness = null;
        var imageId = BuildImage(context, "firstboot-guide", cleanup: false, report => readiness = report);
        Assert.Contains(readiness!.Warnings, w => w.Message.Contains("will NOT run", StringComparison.Ordinal));

        var customer = context.DoCreateBuildDroplet(s =>
        {
            s.Name = "customer-2";
            s.Image = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        try
        {
            // The build droplet's own first boot recorded per-once as done before the script existed: it never runs.
            Assert.Equal(1,
                context.DoRunRemote(customer, "test -e /root/per-once.txt",
                new RemoteCommandSettings { AllowNonZeroExit = true, LogOutput = false }).ExitStatus);
            Assert.Contains("instance on customer-2\n", context.DoRunRemote(customer, "cat /root/per-instance.txt", Quiet).StandardOutput);
        }
        finally
        {
            context.DoDestroyDroplet(customer);
        }

        try
        {
            var failure = Assert.Throws<ImageValidationException>(() => context.DoTestImage(imageId, s => s.ReportDirectory = null));
            var check = failure.Report.Checks.Single(c => c.Id == 3);
            Assert.Equal(CheckLevel.Fail, check.Level);
            Assert.Contains("was not cleared, so they did not run (DoCleanupImage clears it)", check.Message);
            Assert.Contains("per-once scripts ran on first boot", failure.Message);
        }
        finally
        {
            context.DoDeleteSnapshot(imageId, new DoApiSettings());
        }
    }
}
