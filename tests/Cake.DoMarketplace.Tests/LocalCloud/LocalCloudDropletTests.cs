using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>Real droplets: sshd, cloud-init, snapshots and deletes, through the public API with our own client.</summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudDropletTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private const string UserData = "#!/bin/sh\necho \"user-data ran\" >> /root/user-data.txt\n";
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false };

    private DoApiClient Client()
        => new(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl, RetryWaitMin = TimeSpan.FromMilliseconds(50) });

    [Fact]
    public async Task A_droplet_boots_with_cloud_init_snapshots_and_a_droplet_from_the_snapshot_is_a_new_instance()
    {
        using var api = Client();
        var key = SshKeyPair.Generate("lifecycle");
        var registered = await api.CreateSshKeyAsync("lifecycle", key.PublicKeyLine);

        var first = await CreateAsync(api, "lifecycle-1", "debian-12-x64", registered, UserData);
        Assert.True(LocalCloudFixture.InDropletRange(first.PublicIPv4), first.PublicIPv4);
        using (var session = await ConnectAsync(first, key))
        {
            Assert.Equal(first.PublicIPv4, (await session.RunAsync("hostname -I", Quiet)).StandardOutput.Trim());
            Assert.Equal("running", (await session.RunAsync("systemctl is-system-running --wait", Quiet)).StandardOutput.Trim());
            Assert.Equal("status: done", (await session.RunAsync("cloud-init status --wait", Quiet)).StandardOutput.Trim().Split('\n').Last());
            Assert.Equal("lifecycle-1", (await session.RunAsync("hostname", Quiet)).StandardOutput.Trim());
            Assert.Equal("user-data ran\n", (await session.RunAsync("cat /root/user-data.txt", Quiet)).StandardOutput);
            Assert.Equal($"{first.Id}", (await session.RunAsync("cat /var/lib/cloud/data/instance-id", Quiet)).StandardOutput.Trim());
            await session.RunAsync(
                "printf '#!/bin/sh\\necho instance >> /root/per-instance.txt\\n' > /var/lib/cloud/scripts/per-instance/01-mark.sh && " +
                "printf '#!/bin/sh\\necho boot >> /root/per-boot.txt\\n' > /var/lib/cloud/scripts/per-boot/01-mark.sh && " +
                "chmod +x /var/lib/cloud/scripts/per-instance/01-mark.sh /var/lib/cloud/scripts/per-boot/01-mark.sh",
                Quiet);
        }

        await ActAsync(api, first.Id, "power_off");
        Assert.Equal("off", (await api.GetDropletAsync(first.Id)).Status);
        await ActAsync(api, first.Id, "snapshot", "lifecycle-snap");
        var snapshot = (await api.ListDropletSnapshotsAsync(first.Id)).Single();
        Assert.Equal("lifecycle-snap", snapshot.Name);
        Assert.Contains(await api.ListPrivateImagesAsync(), i => i.Id == snapshot.Id && i.Type == "snapshot");
        Assert.Contains(await api.ListSnapshotsAsync(), s => s.Id == snapshot.Id && s.ResourceId == first.Id);

        var second = await CreateAsync(api, "lifecycle-2", snapshot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), registered, null);
        using (var session = await ConnectAsync(second, key))
        {
            await session.RunAsync("cloud-init status --wait", Quiet);
            Assert.Equal("lifecycle-2", (await session.RunAsync("hostname", Quiet)).StandardOutput.Trim());
            Assert.Equal("instance\n", (await session.RunAsync("cat /root/per-instance.txt", Quiet)).StandardOutput);
            Assert.Equal("user-data ran\n", (await session.RunAsync("cat /root/user-data.txt", Quiet)).StandardOutput);
        }

        // A reboot of the same instance: per-boot runs again, per-instance does not.
        await ActAsync(api, second.Id, "shutdown");
        await ActAsync(api, second.Id, "power_on");
        using (var session = await ConnectAsync(second, key))
        {
            await session.RunAsync("cloud-init status --wait", Quiet);
            Assert.Equal("instance\n", (await session.RunAsync("cat /root/per-instance.txt", Quiet)).StandardOutput);
            Assert.Equal("boot\nboot\n", (await session.RunAsync("cat /root/per-boot.txt", Quiet)).StandardOutput);
        }

        Assert.True(await api.DeleteDropletAsync(first.Id));
        Assert.True(await api.DeleteDropletAsync(second.Id));
        Assert.True(await api.DeleteImageAsync(snapshot.Id));
        Assert.True(await api.DeleteSshKeyAsync(registered.Id));
        await AssertNoLeftoversAsync();
        Assert.False(Directory.Exists(Path.Combine(cloud.DataDirectory, "images", snapshot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Systemd_runs_the_life_cycle_enabled_services_start_at_every_boot_and_stops_typed_inside_reach_the_api()
    {
        using var api = Client();
        var key = SshKeyPair.Generate("systemd");
        var registered = await api.CreateSshKeyAsync("systemd", key.PublicKeyLine);
        var droplet = await CreateAsync(api, "systemd-1", "debian-13-x64", registered, null);

        // An enabled unit that counts its starts, and its clean stops (ExecStop runs only when systemd stops it).
        const string Unit = "[Unit]\nDescription=boot marker\n[Service]\nType=oneshot\nRemainAfterExit=yes\n"
            + "ExecStart=/bin/sh -c 'echo start >> /root/marks'\nExecStop=/bin/sh -c 'echo stop >> /root/marks'\n[Install]\nWantedBy=multi-user.target\n";
        async Task<string> MarksAsync()
        {
            using var session = await ConnectAsync(droplet, key);
            return (await session.RunAsync("systemctl is-system-running --wait >/dev/null; cat /root/marks", Quiet)).StandardOutput.Replace('\n', ' ').Trim();
        }

        using (var session = await ConnectAsync(droplet, key))
        {
            Assert.Contains("Debian GNU/Linux 13", (await session.RunAsync("cat /etc/os-release", Quiet)).StandardOutput);
            await session.RunAsync($"printf \"{Unit}\" > /etc/systemd/system/mark.service && systemctl enable --now mark.service", Quiet);
        }

        Assert.Equal("start", await MarksAsync());
        await ActAsync(api, droplet.Id, "reboot");
        Assert.Equal("start stop start", await MarksAsync());
        await ActAsync(api, droplet.Id, "power_cycle");
        Assert.Equal("start stop start start", await MarksAsync()); // a hard stop: no ExecStop
        await ActAsync(api, droplet.Id, "shutdown");
        Assert.Equal("off", (await api.GetDropletAsync(droplet.Id)).Status);
        await ActAsync(api, droplet.Id, "power_on");
        Assert.Equal("start stop start start stop start", await MarksAsync());

        // Typed inside: reboot comes back by itself; poweroff leaves the droplet off in the API.
        using (var session = await ConnectAsync(droplet, key))
        {
            await session.RunAsync("systemctl reboot", new RemoteCommandSettings { LogOutput = false, ExpectReboot = true, AllowNonZeroExit = true });
        }

        Assert.Equal("start stop start start stop start stop start", await MarksAsync());
        using (var session = await ConnectAsync(droplet, key))
        {
            await session.RunAsync("systemctl poweroff",
                new RemoteCommandSettings { LogOutput = false, AllowNonZeroExit = true, Timeout = TimeSpan.FromSeconds(10) }).ContinueWith(_ => { });
        }

        for (var i = 0; i < 100 && (await api.GetDropletAsync(droplet.Id)).Status != "off"; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("off", (await api.GetDropletAsync(droplet.Id)).Status);
        Assert.True(await api.DeleteDropletAsync(droplet.Id));
        Assert.True(await api.DeleteSshKeyAsync(registered.Id));
        await AssertNoLeftoversAsync();
    }

    [Fact]
    public async Task A_second_action_while_one_runs_is_refused_as_a_pending_event()
    {
        using var api = Client();
        var key = SshKeyPair.Generate("pending");
        var registered = await api.CreateSshKeyAsync("pending", key.PublicKeyLine);
        var droplet = await CreateAsync(api, "pending-1", "debian-12-x64", registered, null);

        // The shutdown is held in progress (an injected delay) so the second request meets it whatever the machine's load.
        await FaultControl.SetAsync(cloud, new Cake.DoMarketplace.LocalCloud.Faults.FaultOptions { ActionDelay = TimeSpan.FromSeconds(10) });
        DoAction shutdown;
        try
        {
            shutdown = await api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "shutdown" });
            var refused = await Assert.ThrowsAsync<DoApiException>(() => api.PostDropletActionAsync(droplet.Id, new DoActionRequest { Type = "power_off" }));
            Assert.True(refused.IsPendingEvent);
            Assert.True((await api.GetDropletAsync(droplet.Id)).Locked);
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new Cake.DoMarketplace.LocalCloud.Faults.FaultOptions());
        }

        await WaitActionAsync(api, shutdown.Id);

        Assert.False((await api.GetDropletAsync(droplet.Id)).Locked);
        Assert.True(await api.DeleteDropletAsync(droplet.Id));
        Assert.True(await api.DeleteSshKeyAsync(registered.Id));
        await AssertNoLeftoversAsync();
    }

    [Fact]
    public async Task Unknown_region_size_image_and_key_are_refused_with_422()
    {
        using var api = Client();
        async Task<string> Refusal(DoDropletCreateRequest request) =>
            (await Assert.ThrowsAsync<DoApiException>(() => api.CreateDropletAsync(request))).ApiMessage!;
        DoDropletCreateRequest Request() => new() { Name = "bad", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64" };

        Assert.Contains("invalid region",
            await Refusal(new DoDropletCreateRequest { Name = "bad", Region = "mars1", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64" }));
        Assert.Contains("invalid size", await Refusal(new DoDropletCreateRequest { Name = "bad", Region = "nyc3", Size = "huge", Image = "debian-12-x64" }));
        Assert.Contains("invalid image",
            await Refusal(new DoDropletCreateRequest { Name = "bad", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "windows-11" }));
        var withKey = Request();
        withKey.SshKeys.Add("12345");
        Assert.Contains("invalid SSH key", await Refusal(withKey));
        Assert.Empty(await api.ListDropletsByTagAsync("anything"));
    }

    private static Task<DoDroplet> CreateAsync(DoApiClient api, string name, string image, DoSshKey key, string? userData) =>
        LocalDroplets.CreateAsync(api, name, image, key, userData);

    private static async Task ActAsync(DoApiClient api, long dropletId, string type, string? name = null)
    {
        var action = await api.PostDropletActionAsync(dropletId, new DoActionRequest { Type = type, Name = name });
        Assert.Equal("in-progress", action.Status);
        await WaitActionAsync(api, action.Id);
    }

    private static async Task WaitActionAsync(DoApiClient api, long actionId)
    {
        for (var i = 0; i < 900; i++)
        {
            var action = await api.GetActionAsync(actionId);
            if (action.Status != "in-progress")
            {
                Assert.Equal("completed", action.Status);
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"action {actionId} did not finish");
    }

    private static Task<SshRemoteSession> ConnectAsync(DoDroplet droplet, SshKeyPair key) => LocalDroplets.ConnectAsync(droplet, key);

    private async Task AssertNoLeftoversAsync()
    {
        for (var i = 0; i < 50 && cloud.Leftovers().Count > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(cloud.Leftovers());
    }
}
