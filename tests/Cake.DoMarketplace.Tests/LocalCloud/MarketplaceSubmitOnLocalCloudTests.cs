using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Marketplace;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>DoSubmitMarketplaceUpdate against the local cloud's Vendor API: accepted, wrong app, app in review.</summary>
[Trait("Category", "Integration")]
public sealed class MarketplaceSubmitOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Submits_an_image_and_explains_a_wrong_app_id_and_an_app_in_review()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log, cloud.DataDirectory);
        var imageId = await SnapshotAsync();

        var wrong = Assert.Throws<Cake.DoMarketplace.Marketplace.MarketplaceSubmissionException>(()
            => context.DoSubmitMarketplaceUpdate(s => { s.AppId = "no-such-app"; s.ImageId = imageId; }));
        Assert.Contains("knows no app 'no-such-app'", wrong.Message);

        var result = context.DoSubmitMarketplaceUpdate(s =>
        {
            s.AppId = "local-1-click-app";
            s.ImageId = imageId;
            s.ReasonForUpdate = "Security updates";
            s.OsVersion = "Debian 12";
            s.SoftwareIncluded.Add(new SoftwareIncluded("nginx", "1.22.1", "Stable"));
        });
        Assert.Equal("pending", result.Status);

        var inReview = Assert.Throws<Cake.DoMarketplace.Marketplace.MarketplaceSubmissionException>(()
            => context.DoSubmitMarketplaceUpdate(s => { s.AppId = "local-1-click-app"; s.ImageId = imageId; }));
        Assert.Contains("pending or in review", inReview.Message);
        Assert.Contains("pending", inReview.Message);

        Assert.Equal("MarketplaceUpdateSettings.AppId",
            Assert.Throws<DoSettingsException>(() => context.DoSubmitMarketplaceUpdate(s => { s.AppId = "../x"; s.ImageId = imageId; })).Setting);
        Assert.DoesNotContain(LocalCloudFixture.Token, log.AllText);
    }

    private async Task<long> SnapshotAsync()
    {
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        var key = await api.CreateSshKeyAsync("vendor", SshKeyPair.Generate("vendor").PublicKeyLine);
        var droplet = await api.CreateDropletAsync(
            new DoDropletCreateRequest { Name = "vendor-image", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64",
            SshKeys = [$"{key.Id}"] });
        while ((await api.GetDropletAsync(droplet.Id)).Status != "active")
        {
            await Task.Delay(100);
        }

        var action = await api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "snapshot", Name = "vendor-image" });
        while (!(await api.GetActionAsync(action.Id)).IsCompleted)
        {
            await Task.Delay(100);
        }

        var imageId = (await api.ListDropletSnapshotsAsync(droplet.Id)).Single().Id;
        await api.DeleteDropletAsync(droplet.Id);
        await api.DeleteSshKeyAsync(key.Id);
        return imageId;
    }
}
