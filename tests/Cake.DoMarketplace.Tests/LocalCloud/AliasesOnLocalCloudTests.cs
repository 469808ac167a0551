using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>The addin's aliases against the local cloud, for real: droplet, SSH, cloud-init, snapshot, destroy.</summary>
[Trait("Category", "Integration")]
public sealed class AliasesOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-alias-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void Create_run_install_per_instance_snapshot_destroy_and_the_snapshot_runs_the_script_on_a_new_droplet()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, work);
        File.WriteAllText(Path.Combine(work, "01-first-boot.sh"), "#!/bin/sh\r\necho \"first boot of $(hostname)\" >> /root/first-boot.txt\r\n");

        var droplet = context.DoCreateBuildDroplet(s => s.Name = "alias-build");
        long imageId;
        try
        {
            Assert.True(LocalCloudFixture.InDropletRange(droplet.PublicIPv4), droplet.PublicIPv4);
            var uname = context.DoRunRemote(droplet, "uname -s; cat /etc/debian_version");
            Assert.StartsWith("Linux\n12.", uname.StandardOutput);
            Assert.Contains("[alias-build] Linux", log.AllText);
            var installed = context.DoInstallPerInstanceScript(droplet, Path.Combine(work, "01-first-boot.sh"));
            Assert.Equal("/var/lib/cloud/scripts/per-instance/01-first-boot.sh", installed);

            var image = context.DoSnapshot(droplet, s =>
            {
                s.Name = "alias-image";
                s.TransferRegions.Add("fra1");
                s.TransferRegions.Add("ams3");
                s.Tags.Add("marketplace:alias-test");
            });
            imageId = image.ImageId;
            Assert.Equal("alias-image", image.Name);
            Assert.Equal(["nyc3", "fra1", "ams3"], image.Regions);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }

        var fromImage = context.DoCreateBuildDroplet(s =>
        {
            s.Name = "alias-check";
            s.Image = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        try
        {
            var marker = context.DoRunRemote(fromImage, "cat /root/first-boot.txt", new RemoteCommandSettings { LogOutput = false });
            Assert.Equal("first boot of alias-check\n", marker.StandardOutput);
        }
        finally
        {
            context.DoDestroyDroplet(fromImage);
            context.DoDeleteSnapshot(imageId, new DoApiSettings());
        }

        Assert.Contains("Waiting for droplet", log.AllText);
        Assert.Contains("cloud-init done", log.AllText);
        Assert.Contains("converted 2 CRLF", log.AllText);
        Assert.DoesNotContain(LocalCloudFixture.Token, log.AllText);
        Assert.Empty(cloud.Leftovers());
    }
}
