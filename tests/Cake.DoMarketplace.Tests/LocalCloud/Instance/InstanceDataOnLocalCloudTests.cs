using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud.Instance;

/// <summary>
/// A droplet is DigitalOcean's droplet wherever a vendor script can look: made as a customer's plain create request
/// makes one (no <c>with_droplet_agent</c>), it has DigitalOcean's DMI identity, cloud-init reads its config drive,
/// its metadata service answers for it alone, its hostname resolves, and DigitalOcean's agent is installed — and none
/// of the platform's pieces is on its disk, so a snapshot carries none of it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstanceDataOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false, AllowNonZeroExit = true };

    [Theory]
    [InlineData("debian-12-x64")]
    [InlineData("debian-13-x64")]
    public async Task A_plain_create_makes_a_droplet_that_vendor_scripts_take_for_DigitalOceans(string image)
    {
        using var api = Client();
        var key = SshKeyPair.Generate("instance");
        var registered = await api.CreateSshKeyAsync("instance-" + image, key.PublicKeyLine);
        var droplet = await CreatePlainAsync(
            $"{{\"name\":\"vendor-{image}\",\"region\":\"fra1\",\"size\":\"s-1vcpu-512mb-10gb\",\"image\":\"{image}\","
            + $"\"ssh_keys\":[{registered.Id}],\"tags\":[\"web\"]}}");
        try
        {
            using var session = await LocalDroplets.ConnectAsync(droplet, key);
            async Task<string> Run(string command) => (await session.RunAsync(command, Quiet)).StandardOutput.Trim();

            // cloud-init took DigitalOcean's path: the config drive, clean status (no degraded or recoverable errors).
            var status = await Run("cloud-init status --wait --long");
            Assert.Contains("status: done", status, StringComparison.Ordinal);
            Assert.Contains("DataSourceConfigDrive", status, StringComparison.Ordinal);
            Assert.Contains("source=/dev/vdb", status, StringComparison.Ordinal);
            Assert.DoesNotContain("degraded", status, StringComparison.Ordinal);
            Assert.Matches("^(?!.*recoverable_errors: \\{.+\\}).*$", status.Replace('\n', ' '));
            Assert.Equal(droplet.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), await Run("cloud-init query instance_id"));

            // DMI, as cloud-init and DigitalOcean's agent installer read it.
            Assert.Equal("DigitalOcean", await Run("cat /sys/class/dmi/id/sys_vendor"));
            Assert.Equal("DigitalOcean", await Run("cat /sys/devices/virtual/dmi/id/bios_vendor"));
            Assert.Equal("Droplet", await Run("cat /sys/class/dmi/id/product_name"));
            Assert.Equal($"{droplet.Id}", await Run("cat /sys/class/dmi/id/product_serial"));

            // The metadata service answers for this droplet, from the same state as the API.
            Assert.Equal(droplet.PublicIPv4, await Run("curl -sf http://169.254.169.254/metadata/v1/interfaces/public/0/ipv4/address"));
            Assert.Equal($"{droplet.Id}", await Run("curl -sf http://169.254.169.254/metadata/v1/id"));
            Assert.Equal($"vendor-{image}", await Run("curl -sf http://169.254.169.254/metadata/v1/hostname"));
            Assert.Equal("fra1", await Run("curl -sf http://169.254.169.254/metadata/v1/region"));
            Assert.Equal("web", await Run("curl -sf http://169.254.169.254/metadata/v1/tags/"));
            Assert.Equal(key.PublicKeyLine.Trim(), await Run("curl -sf http://169.254.169.254/metadata/v1/public-keys"));
            Assert.Equal(await Run("cat /sys/class/net/eth0/address"), await Run("curl -sf http://169.254.169.254/metadata/v1/interfaces/public/0/mac"));
            Assert.Equal("301 http://169.254.169.254/metadata/v1/interfaces/",
                await Run("curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://169.254.169.254/metadata/v1/interfaces"));
            Assert.Equal("404", await Run("curl -s -o /dev/null -w '%{http_code}' http://169.254.169.254/metadata/v1/nothing-here"));
            using (var document = JsonDocument.Parse(await Run("curl -sf http://169.254.169.254/metadata/v1.json")))
            {
                Assert.Equal(droplet.Id, document.RootElement.GetProperty("droplet_id").GetInt64());
                Assert.Contains("manage_etc_hosts: true", document.RootElement.GetProperty("vendor_data").GetString(), StringComparison.Ordinal);
            }

            // DigitalOcean's vendor data: the hostname resolves (sudo would say "unable to resolve host" otherwise).
            Assert.StartsWith("127.0.1.1", await Run("getent hosts \"$(hostname)\""), StringComparison.Ordinal);
            Assert.DoesNotContain("unable to resolve", (await session.RunAsync("sudo -n true", Quiet)).StandardError, StringComparison.Ordinal);

            // DigitalOcean's agent, installed as on a new droplet; droplet-1-clicks' cleanup line then works.
            Assert.Equal("install ok installed", await Run("dpkg-query -W -f '${Status}' droplet-agent"));
            Assert.Equal("active", await Run("systemctl is-active droplet-agent"));
            Assert.Contains("local cloud's stand-in", await Run("dpkg-query -W -f '${Description}' droplet-agent"), StringComparison.Ordinal);
            Assert.Equal(0, (await session.RunAsync("DEBIAN_FRONTEND=noninteractive apt-get --yes purge 'droplet-agent*'", Quiet)).ExitStatus);
            Assert.Equal("gone", await Run("test -e /opt/digitalocean && echo present || echo gone"));

            // The platform's pieces are the machine's, not its disk's: nothing to find on the disk for a snapshot.
            Assert.Equal("none",
                await Run(
                "findmnt -n /dev/vdb >/dev/null && echo mounted || { test -e /run/local-cloud-boot || test -e /config-drive || test -e "
                + "/var/lib/cloud/seed/config_drive; } && echo traces || echo none"));
        }
        finally
        {
            Assert.True(await api.DeleteDropletAsync(droplet.Id));
            Assert.True(await api.DeleteSshKeyAsync(registered.Id));
        }
    }

    [Fact]
    public async Task The_agents_follow_the_create_request_and_a_droplet_from_a_snapshot_has_its_own_identity()
    {
        using var api = Client();
        var key = SshKeyPair.Generate("agents");
        var registered = await api.CreateSshKeyAsync("agents", key.PublicKeyLine);
        var without = await CreatePlainAsync(
            "{\"name\":\"no-agent\",\"region\":\"nyc3\",\"size\":\"s-1vcpu-512mb-10gb\",\"image\":\"debian-12-x64\","
            + $"\"ssh_keys\":[{registered.Id}],\"with_droplet_agent\":false}}");
        var monitored = await CreatePlainAsync(
            "{\"name\":\"monitored\",\"region\":\"nyc3\",\"size\":\"s-1vcpu-512mb-10gb\",\"image\":\"debian-12-x64\","
            + $"\"ssh_keys\":[{registered.Id}],\"monitoring\":true}}");
        DoDroplet? fromSnapshot = null;
        long? snapshotId = null;
        try
        {
            using (var session = await LocalDroplets.ConnectAsync(without, key))
            {
                await session.RunAsync("cloud-init status --wait", Quiet);
                Assert.Equal("absent",
                    (await session.RunAsync("dpkg-query -W droplet-agent >/dev/null 2>&1 && echo present || echo absent; test -e /opt/digitalocean && echo "
                    + "opt", Quiet)).StandardOutput.Trim());
            }

            using (var session = await LocalDroplets.ConnectAsync(monitored, key))
            {
                await session.RunAsync("cloud-init status --wait", Quiet);
                Assert.Equal("active\nactive", (await session.RunAsync("systemctl is-active droplet-agent do-agent", Quiet)).StandardOutput.Trim());

                // Purging the droplet agent leaves the metrics agent, and /opt/digitalocean with it: the image scan's FAIL.
                await session.RunAsync("DEBIAN_FRONTEND=noninteractive apt-get --yes purge 'droplet-agent*'", Quiet);
                Assert.Equal("/opt/digitalocean/bin/do-agent", (await session.RunAsync("ls -d /opt/digitalocean/bin/*", Quiet)).StandardOutput.Trim());
            }

            await ActAsync(api, without.Id, "power_off");
            await ActAsync(api, without.Id, "snapshot", "instance-snapshot");
            snapshotId = (await api.ListDropletSnapshotsAsync(without.Id)).Single().Id;
            fromSnapshot = await CreatePlainAsync(
                $"{{\"name\":\"from-snapshot\",\"region\":\"nyc3\",\"size\":\"s-1vcpu-512mb-10gb\",\"image\":{snapshotId},\"ssh_keys\":[{registered.Id}]}}");
            using (var session = await LocalDroplets.ConnectAsync(fromSnapshot, key))
            {
                await session.RunAsync("cloud-init status --wait", Quiet);
                var facts = (await session.RunAsync(
                    "curl -sf http://169.254.169.254/metadata/v1/id; echo; cat /sys/class/dmi/id/product_serial; cat /var/lib/cloud/data/instance-id; "
                        + "hostname; systemctl is-active droplet-agent", Quiet)).StandardOutput;
                Assert.Equal($"{fromSnapshot.Id}\n{fromSnapshot.Id}\n{fromSnapshot.Id}\nfrom-snapshot\nactive\n", facts);
            }
        }
        finally
        {
            foreach (var droplet in new[] { without, monitored, fromSnapshot }.OfType<DoDroplet>())
            {
                Assert.True(await api.DeleteDropletAsync(droplet.Id));
            }

            if (snapshotId is { } id)
            {
                Assert.True(await api.DeleteImageAsync(id));
            }

            Assert.True(await api.DeleteSshKeyAsync(registered.Id));
        }
    }

    [Fact]
    public async Task With_the_fault_on_the_package_manager_is_held_after_first_boot_as_unattended_upgrades_holds_it()
    {
        using var api = Client();
        var key = SshKeyPair.Generate("busy");
        var registered = await api.CreateSshKeyAsync("busy", key.PublicKeyLine);
        await FaultControl.SetAsync(cloud, new FaultOptions { PackageManagerBusyAfterBoot = TimeSpan.FromSeconds(8) });
        DoDroplet droplet;
        try
        {
            droplet = await CreatePlainAsync(
                $"{{\"name\":\"busy\",\"region\":\"nyc3\",\"size\":\"s-1vcpu-512mb-10gb\",\"image\":\"debian-12-x64\",\"ssh_keys\":[{registered.Id}]}}");
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
        }

        try
        {
            using var session = await LocalDroplets.ConnectAsync(droplet, key);
            await session.RunAsync("cloud-init status --wait", Quiet);
            var refused = await session.RunAsync("apt-get update", Quiet);
            Assert.NotEqual(0, refused.ExitStatus);
            Assert.Matches(@"Could not get lock /var/lib/apt/lists/lock\. It is held by process \d+ \(unattended-upgr\)", refused.StandardError);

            // It lets go by itself: apt works again once the holder has ended.
            var waited = await session.RunAsync(
                "while systemctl is-active --quiet local-cloud-package-manager-busy; do sleep 0.5; done; apt-get update -qq", Quiet);
            Assert.Equal(0, waited.ExitStatus);
        }
        finally
        {
            Assert.True(await api.DeleteDropletAsync(droplet.Id));
            Assert.True(await api.DeleteSshKeyAsync(registered.Id));
        }
    }

    private DoApiClient Client()
        => new(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl, RetryWaitMin = TimeSpan.FromMilliseconds(50) });

    // A create request as a customer's own client sends it, byte for byte: the addin's client plays no part.
    private async Task<DoDroplet> CreatePlainAsync(string body)
    {
        using var http = new HttpClient { BaseAddress = cloud.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", LocalCloudFixture.Token);
        using var response = await http.PostAsync("v2/droplets", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 202, text);
        var id = JsonDocument.Parse(text).RootElement.GetProperty("droplet").GetProperty("id").GetInt64();
        using var api = Client();
        for (var i = 0; i < 600; i++)
        {
            var droplet = await api.GetDropletAsync(id);
            if (droplet.Status == "active")
            {
                return droplet;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"droplet {id} did not become active");
    }

    private static async Task ActAsync(DoApiClient api, long dropletId, string type, string? name = null)
    {
        var action = await api.PostDropletActionAsync(dropletId, new DoActionRequest { Type = type, Name = name });
        for (var i = 0; i < 900 && (await api.GetActionAsync(action.Id)).Status == "in-progress"; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("completed", (await api.GetActionAsync(action.Id)).Status);
    }
}
