using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>Droplets on a local cloud through the public API: create and wait until active, then log in.</summary>
internal static class LocalDroplets
{
    public static async Task<DoDroplet> CreateAsync(DoApiClient api, string name, string image, DoSshKey key, string? userData = null)
    {
        var request = new DoDropletCreateRequest { Name = name, Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = image, UserData = userData,
            Tags = ["local-cloud-test"] };
        request.SshKeys.Add(key.Fingerprint);
        var created = await api.CreateDropletAsync(request);
        Assert.Equal("new", created.Status);
        for (var i = 0; i < 600; i++)
        {
            var droplet = await api.GetDropletAsync(created.Id);
            if (droplet.Status == "active")
            {
                return droplet;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"droplet {created.Id} did not become active");
    }

    public static Task<SshRemoteSession> ConnectAsync(DoDroplet droplet, SshKeyPair key) =>
        SshRemoteSession.ConnectAsync(
            new SshConnectOptions { Host = droplet.PublicIPv4!, Key = key, Label = droplet.Name, ConnectTimeout = TimeSpan.FromSeconds(30) },
            new RecordingLog());
}
