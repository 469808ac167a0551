using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>Snapshots survive a restart of the local cloud; the Vendor API takes an image and reviews it.</summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudRestartAndVendorTests : IDisposable
{
    private const string Token = "dop_v1_restarttests000000000000000000000000000000000000000000000000";
    private readonly string data = Directory.CreateTempSubdirectory("cdm-restart-").FullName;

    public void Dispose() => Directory.Delete(data, true);

    private LocalCloudOptions Options()
    {
        var options = new LocalCloudOptions { DataDirectory = data, VendorReviewTime = TimeSpan.FromSeconds(2) };
        options.Tokens.Add(Token);
        return options;
    }

    [Fact]
    public async Task A_snapshot_survives_a_restart_and_an_update_is_refused_while_in_review()
    {
        long imageId;
        await using (var server = await LocalCloudServer.StartAsync(Options()))
        {
            using var api = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl });
            var key = await api.CreateSshKeyAsync("k", SshKeyPair.Generate("k").PublicKeyLine);
            var droplet = await api.CreateDropletAsync(
                new DoDropletCreateRequest { Name = "keep-me", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64",
                SshKeys = [$"{key.Id}"] });
            await WaitAsync(async () => (await api.GetDropletAsync(droplet.Id)).Status == "active");
            var action = await api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "snapshot", Name = "kept" });
            await WaitAsync(async () => (await api.GetActionAsync(action.Id)).IsCompleted);
            imageId = (await api.ListDropletSnapshotsAsync(droplet.Id)).Single().Id;

            using var http = new HttpClient { BaseAddress = server.BaseUrl };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var update = new { imageId, reasonForUpdate = "new release", osVersion = "Debian 12",
                softwareIncluded = new[] { new { name = "nginx", version = "1.22", releaseNotes = "" } } };
            Assert.Equal(HttpStatusCode.NotFound, (await http.PatchAsJsonAsync("api/v1/vendor-portal/apps/no-such-app", update)).StatusCode);
            var accepted = await http.PatchAsJsonAsync("api/v1/vendor-portal/apps/local-1-click-app", update);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Contains("\"status\":\"pending\"", await accepted.Content.ReadAsStringAsync());
            var refused = await http.PatchAsJsonAsync("api/v1/vendor-portal/apps/local-1-click-app", update);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("pending", await refused.Content.ReadAsStringAsync());
            await WaitAsync(async () => (await http.GetStringAsync("api/v1/vendor-portal/apps/local-1-click-app")).Contains("\"status\":\"approved\""));
            Assert.Equal(HttpStatusCode.OK, (await http.PatchAsJsonAsync("api/v1/vendor-portal/apps/local-1-click-app", update)).StatusCode);
        }

        Assert.Empty(SandboxLeaks.Find(data));
        await using (var restarted = await LocalCloudServer.StartAsync(Options()))
        {
            using var api = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = restarted.BaseUrl });
            var image = await api.GetImageAsync(imageId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("kept", image.Name);
            Assert.Contains(await api.ListPrivateImagesAsync(), i => i.Id == imageId);
            Assert.True(await api.DeleteImageAsync(imageId));
        }

        Assert.False(Directory.Exists(Path.Combine(data, "images", imageId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("condition not reached in 30 s");
    }
}
