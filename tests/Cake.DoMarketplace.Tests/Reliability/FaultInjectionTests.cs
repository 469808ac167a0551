using Cake.Core;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Snapshots;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// Whole image builds (DoBuildImage, quick settings) while the local cloud misbehaves: each fault either is ridden out
/// or fails the build with a clear message — and either way nothing is left behind but the images of builds that
/// succeeded.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FaultInjectionTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private (ICakeContext Context, RecordingLog Log) Context()
    {
        var log = new RecordingLog();
        return (cloud.Context(log, cloud.DataDirectory), log);
    }

    private static void Quick(MarketplaceImageSettings s, string name, bool neverActive)
    {
        s.Droplet.Name = name;

        // Short only where the droplet never becomes active; elsewhere a loaded machine's slow boot is no fault.
        s.Droplet.ActiveTimeout = TimeSpan.FromSeconds(neverActive ? 8 : 120);
        s.UpdatePackages = false;
        s.Cleanup.UpdatePackages = false;
        s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
        s.Validation.RefreshPackageIndex = false;
        s.Validation.ReportDirectory = null;
        s.Snapshot.Name = name + "-image";
        s.Snapshot.ShutdownTimeout = TimeSpan.FromSeconds(4);
        s.Snapshot.SnapshotListTimeout = TimeSpan.FromSeconds(20);
        s.TestImage = false;
    }

    private async Task<(int Droplets, int TemporaryKeys, List<long> Images)> LeftAsync()
    {
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        var droplets = (await api.ListDropletsByTagAsync("cake-domarketplace")).Count;
        var keys = (await api.ListSshKeysAsync()).Count(k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
        var images = (await api.ListPrivateImagesAsync()).Select(i => i.Id).ToList();
        return (droplets, keys, images);
    }

    public static TheoryData<string, string, string?> Faults => new()
    {
        // name, faults (LOCAL_CLOUD_FAULTS syntax), expected failure text (null: the build succeeds)
        { "429 storm", "TooManyRequestsRate=0.3,Seed=1", null },
        { "5xx storm", "ServerErrorRate=0.2,Seed=2", null },
        { "lost create response", "LoseCreateResponses=1", null },
        { "slow actions", "ActionDelay=2", null },
        { "ignored shutdown", "IgnoreShutdown=true", null },
        { "snapshot listed late", "SnapshotListLag=3", null },
        { "SSH refused after active", "SshRefusedAfterActive=4", null },
        { "errored snapshot", "ErroredActions=snapshot", "errored" },
        { "stuck in new", "StuckInNew=true", "to become active; last state seen: status=new" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_build_under_a_fault_succeeds_or_fails_clearly_and_leaves_nothing(string name, string faults, string? failure)
    {
        var (context, log) = Context();
        var before = await LeftAsync();
        await FaultControl.SetAsync(cloud, FaultOptions.Parse(faults));
        MarketplaceImageResult? result = null;
        Exception? error = null;
        try
        {
            result = context.DoBuildImage(s
                => Quick(s, "fault-" + string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant(),
                faults.StartsWith("StuckInNew", StringComparison.Ordinal)));
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
        }

        if (failure is null)
        {
            Assert.True(error is null, $"{name}: {error}\n{log.AllText}");
        }
        else
        {
            Assert.NotNull(error);
            Assert.Contains(failure, error!.Message);
            Assert.Contains("FAILED", log.AllText);
        }

        var after = await LeftAsync();
        Assert.Equal(0, after.Droplets);
        Assert.Equal(0, after.TemporaryKeys);
        Assert.Equal(before.Images.Count + (result is null ? 0 : 1), after.Images.Count);
        if (result is not null)
        {
            using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
            Assert.True(await api.DeleteImageAsync(result.Image.ImageId));
        }

        Assert.Empty(cloud.Leftovers());
        Assert.DoesNotContain(LocalCloudFixture.Token, log.AllText);
    }

    [Fact]
    public async Task A_lost_create_response_never_makes_a_second_droplet()
    {
        var (context, log) = Context();
        await FaultControl.SetAsync(cloud, new FaultOptions { LoseCreateResponses = 1 });
        try
        {
            var droplet = context.DoCreateBuildDroplet(s => s.Name = "lost-create");
            try
            {
                using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
                Assert.Single(await api.ListDropletsByTagAsync("cake-domarketplace"));
                Assert.Contains("The lost request did create droplet", log.AllText);
            }
            finally
            {
                context.DoDestroyDroplet(droplet);
            }
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
        }
    }

    [Fact]
    public async Task A_host_key_other_than_the_pinned_one_aborts_and_destroys_the_droplet()
    {
        var (context, _) = Context();

        var error = Assert.Throws<HostKeyMismatchException>(() => context.DoCreateBuildDroplet(s =>
        {
            s.Name = "impostor-check";
            s.KnownHostKey = SshKeyPair.Generate("someone-else").PublicKeyLine;
        }));

        Assert.Contains("not the droplet this build created", error.Message);
        var left = await LeftAsync();
        Assert.Equal(0, left.Droplets);
        Assert.Equal(0, left.TemporaryKeys);
    }
}
