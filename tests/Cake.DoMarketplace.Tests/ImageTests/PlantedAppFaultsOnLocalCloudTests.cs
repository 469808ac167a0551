using Cake.Core;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>
/// DoTestImage on real droplets of the local cloud (systemd, their own network, ufw inside): an nginx image with three
/// planted faults — a service not enabled, a firewall rule missing, a page broken — fails exactly those three checks,
/// each saying which and why, while the checks the faults do not touch pass.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PlantedAppFaultsOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false };
    private readonly string work = Directory.CreateTempSubdirectory("cdm-appfaults-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void A_service_not_enabled_a_missing_firewall_rule_and_a_broken_page_each_fail_with_their_reason()
    {
        var context = cloud.Context(new RecordingLog(), work);
        var imageId = BuildFaultyImage(context);
        var settings = new TestImageSettings { FailOnError = false, ReportDirectory = null, Reboot = false, AppTimeout = TimeSpan.FromSeconds(5) };
        settings.HttpChecks.Add(new HttpCheck("/", 200, "Welcome to the shop"));
        settings.HttpChecks.Add(new HttpCheck("/health", 200, "ok"));
        settings.OpenPorts.Add(80);
        settings.OpenPorts.Add(8080);
        settings.ClosedPorts.Add(9000);
        settings.Services.Add("nginx");
        settings.Services.Add("cron");

        var report = context.DoTestImage(imageId, settings);

        var all = string.Join("\n", report.Checks.Select(c => $"{c.Id} {c.Level} {c.Message}"));
        var failed = report.Checks.Where(c => c.Level == CheckLevel.Fail).ToDictionary(c => c.Id);
        Assert.True(failed.Keys.Order().SequenceEqual([10, 11, 12]), all);
        Assert.Contains("cron.service is inactive and disabled", failed[10].Message);
        Assert.Contains("8080", failed[11].Message);
        Assert.Contains("filtered", failed[11].Message);
        Assert.Contains("GET http://", failed[12].Message);
        Assert.Contains("expected 200", failed[12].Message);
        Assert.True(failed[12].Message.Contains("got 403 Forbidden", StringComparison.Ordinal), failed[12].Message); // no index page left
        Assert.DoesNotContain("/health", failed[12].Message);
        Assert.Equal(CheckLevel.Pass, report.Checks.Single(c => c.Id == 9).Level);
        Assert.Equal(CheckLevel.Pass, report.Checks.Single(c => c.Id == 13).Level);
        Assert.Contains("filtered", report.Checks.Single(c => c.Id == 13).Message);
        Assert.Empty(cloud.Leftovers());
    }

    // nginx on 80 and 8080 with a health page; the landing page missing, cron disabled, ufw allowing 22 and 80 only.
    private static long BuildFaultyImage(ICakeContext context)
    {
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "app-faults");
        try
        {
            context.DoInstallPackages(droplet, "nginx", "ufw");
            context.DoRunRemote(
                droplet,
                "printf 'server { listen 80 default_server; listen 8080; root /var/www/html; location = /health { return 200 \"ok\\\\n\"; } }\\n' > "
                    + "/etc/nginx/sites-available/default"
                + " && rm -f /var/www/html/index*.html && nginx -t && systemctl reload nginx"
                + " && systemctl disable --now cron"
                + " && ufw default deny incoming && ufw allow 22/tcp && ufw allow 80/tcp && ufw --force enable",
                Quiet);
            context.DoCleanupImage(droplet, s => { s.UpdatePackages = false; s.FreeSpace = FreeSpaceHandling.Skip; });
            return context.DoSnapshot(droplet, s => s.Name = "app-faults-image").ImageId;
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }
}
