using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packages;

/// <summary>
/// The local cloud's fault as DigitalOcean's Ubuntu droplets behave after first boot: unattended-upgrades holds apt's
/// locks when the build begins. A build waits for it and succeeds; held past the build's limit, the build fails naming
/// the holder and the setting, and leaves nothing behind.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BusyPackageManagerFaultTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_build_waits_while_unattended_upgrades_holds_apt_for_30_s_after_first_boot_and_succeeds()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        await FaultControl.SetAsync(cloud, new FaultOptions { PackageManagerBusyAfterBoot = TimeSpan.FromSeconds(30) });
        Cake.DoMarketplace.Pipeline.MarketplaceImageResult result;
        try
        {
            result = context.DoBuildImage(s =>
            {
                CheapBuild.Apply(s, "busy-apt-30s");
                s.UpdatePackages = true;
                s.Packages.Add("tree");
            });
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
        }

        var text = log.AllText;
        Assert.Matches(@"\[busy-apt-30s\] the package manager is busy: process \d+ \(unattended-upgr\) holds ", text);
        Assert.Contains("Done waiting for the package manager on busy-apt-30s to be free", text);
        Assert.Contains("tree", text);
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.True(await api.DeleteImageAsync(result.Image.ImageId));
        Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
    }

    [Fact]
    public async Task Held_past_the_builds_limit_the_build_fails_naming_the_holder_and_the_setting_and_leaves_nothing()
    {
        var context = cloud.Context(new RecordingLog());
        await FaultControl.SetAsync(cloud, new FaultOptions { PackageManagerBusyAfterBoot = TimeSpan.FromMinutes(10) });
        WaitTimeoutException error;
        try
        {
            error = Assert.Throws<WaitTimeoutException>(() => context.DoBuildImage(s =>
            {
                CheapBuild.Apply(s, "busy-apt-forever");
                s.UpdatePackages = true;
                s.PackageManager.LockTimeout = TimeSpan.FromSeconds(5);
            }));
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
        }

        Assert.Equal("PackageSettings.LockTimeout", error.Setting);
        Assert.Matches(@"last state seen: process \d+ \(unattended-upgr\) holds ", error.Message);
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
        Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
        Assert.Empty(await api.ListPrivateImagesAsync());
        Assert.Empty(cloud.Leftovers());
    }
}
