using System.Net;
using System.Net.Sockets;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.LocalCloud.Network;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// Each droplet is a whole machine on its own network: systemd as PID 1, its own address (what the API reports and
/// <c>hostname -I</c> prints), the package mirror reachable and nothing else, a firewall inside that filters for real
/// and leaves the host's rules alone, and nothing of ours left on the host after a droplet or the cloud is gone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudNetworkTests : IDisposable
{
    private const string Token = "dop_v1_networktests0000000000000000000000000000000000000000000000000";
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false, AllowNonZeroExit = true };
    private readonly string data = Directory.CreateTempSubdirectory("cdm-network-").FullName;

    public void Dispose() => Directory.Delete(data, true);

    [Fact]
    public async Task A_droplet_has_its_own_address_reaches_only_the_mirror_and_its_metadata_filters_with_its_own_firewall_and_leaves_nothing_behind()
    {
        var hostRulesBefore = await HostAsync("nft", "list", "tables");
        var options = new LocalCloudOptions { DataDirectory = data };
        options.Tokens.Add(Token);
        string table, link, netns;
        await using (var server = await LocalCloudServer.StartAsync(options))
        {
            table = server.NetworkTable;
            Assert.Contains($"table ip {table}", await HostAsync("nft", "list", "tables"));
            Assert.Contains("unreachable " + AddressRange.Default, await HostAsync("ip", "route", "show"));

            using var api = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl });
            var key = SshKeyPair.Generate("network");
            var registered = await api.CreateSshKeyAsync("network", key.PublicKeyLine);
            var first = await CreateAsync(api, "net-1", registered);
            var second = await CreateAsync(api, "net-2", registered);
            Assert.NotEqual(first.PublicIPv4, second.PublicIPv4);
            var slot = Slot(first.PublicIPv4!);
            (link, netns) = DropletNetwork.Names(slot);
            Assert.Contains($"dev {link}", await HostAsync("ip", "route", "get", first.PublicIPv4!));

            using (var session = await ConnectAsync(first, key))
            {
                Assert.Equal("1", (await session.RunAsync("readlink /proc/1/exe | grep -c systemd", Quiet)).StandardOutput.Trim());
                Assert.Equal(first.PublicIPv4, (await session.RunAsync("hostname -I", Quiet)).StandardOutput.Trim());
                var system = (
                    await session.RunAsync("systemctl is-system-running --wait; systemctl --failed --no-legend --plain", Quiet)).StandardOutput.Trim();
                Assert.True(system == "running", system);

                // The package mirror through the gateway's DNS and NAT. Of the host, only what the local cloud serves
                // the droplet: its metadata service at 169.254.169.254; a listener of this test on all the host's
                // addresses (any host service: a CI runner's database, the host's sshd) answers neither at the
                // droplet's gateway nor at the host's own address; the other droplet is out of reach.
                Assert.Equal(0, (await session.RunAsync("apt-get update -qq", Quiet)).ExitStatus);
                Assert.Equal(first.PublicIPv4,
                    (await session.RunAsync("curl -s -m 5 http://169.254.169.254/metadata/v1/interfaces/public/0/ipv4/address", Quiet)).StandardOutput.Trim());
                var listener = new TcpListener(IPAddress.Any, 0);
                listener.Start();
                try
                {
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    var hostAddress = (await HostAsync("ip", "-4", "route", "get", "1.1.1.1")).Split(' ').SkipWhile(w => w != "src").Skip(1).First();
                    Assert.Equal("blocked", await ProbeAsync(session, first.Networks.V4.Single().Gateway!, port));
                    Assert.Equal("blocked", await ProbeAsync(session, hostAddress, port));
                    Assert.Equal("blocked", await ProbeAsync(session, second.PublicIPv4!, 22));
                }
                finally
                {
                    listener.Stop();
                }

                // A firewall inside the droplet filters for real: a listener on 2222 answers from the host until ufw
                // (default deny, SSH allowed) is enabled inside, and the host's own rule set is untouched by it.
                Assert.Equal(0,
                    (await session.RunAsync("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ufw >/dev/null && /usr/sbin/sshd -p 2222 && until ss -ltn "
                    + "| grep -q ':2222 '; do sleep 0.1; done", Quiet)).ExitStatus);
                Assert.True(await ConnectsAsync(first.PublicIPv4!, 2222));
                Assert.Equal(0, (await session.RunAsync("ufw allow 22/tcp && ufw --force enable", Quiet)).ExitStatus);
                Assert.False(await ConnectsAsync(first.PublicIPv4!, 2222));
                Assert.True(await ConnectsAsync(first.PublicIPv4!, 22));
                Assert.DoesNotContain("table ip filter", await HostAsync("nft", "list", "tables"));
            }

            Assert.True(await api.DeleteDropletAsync(first.Id));
            Assert.False(Directory.Exists($"/sys/class/net/{link}"));
            Assert.False(File.Exists(DropletNetwork.NamespacePath(slot)) && !SlotLeased(slot));
            // The range's unreachable route: nothing leaves the machine.
            Assert.Contains("No route to host", await HostAsync("ip", "route", "get", first.PublicIPv4!));
            Assert.True(await api.DeleteDropletAsync(second.Id));
        }

        Assert.DoesNotContain($"table ip {table}", await HostAsync("nft", "list", "tables"));
        Assert.Empty(SandboxLeaks.Links(table));
        Assert.Empty(await SandboxLeaks.SettledAsync(data));
        if (Directory.GetFiles("/run/cake-domarketplace/network/members").Length == 0)
        {
            // No other local cloud runs now: the host is as it was before (other clouds' tables may have come and gone).
            var after = await HostAsync("nft", "list", "tables");
            Assert.DoesNotContain("cakedo_", after);
            Assert.Equal(WithoutLocalClouds(hostRulesBefore), after);
            Assert.DoesNotContain("unreachable " + AddressRange.Default, await HostAsync("ip", "route", "show"));
            Assert.Empty(Directory.GetFiles("/run/cake-domarketplace/network", "forwarding.*"));
        }
    }

    [Fact]
    public async Task A_range_that_collides_with_the_hosts_network_is_refused_before_anything_is_made()
    {
        var route = (await HostAsync("ip", "-4", "route", "show", "scope", "link")).Split('\n', StringSplitOptions.RemoveEmptyEntries).First().Split(' ')[0];
        var options = new LocalCloudOptions { DataDirectory = data, AddressRange = route };
        options.Tokens.Add(Token);
        var tablesBefore = await HostAsync("nft", "list", "tables");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalCloudServer.StartAsync(options));

        Assert.Contains($"The droplet address range {route}", error.Message);
        Assert.Contains("collides with this machine's network", error.Message);
        Assert.Contains($"the route {route}", error.Message);
        Assert.Contains("--address-range", error.Message);
        Assert.Equal(tablesBefore, await HostAsync("nft", "list", "tables"));

        options.AddressRange = "198.18.0.1/15";
        var misaligned = await Assert.ThrowsAsync<FormatException>(() => LocalCloudServer.StartAsync(options));
        Assert.Contains("LocalCloudOptions.AddressRange '198.18.0.1/15'", misaligned.Message);
    }

    [Fact]
    public async Task A_range_holding_the_package_mirror_is_refused()
    {
        var mirror = Cake.DoMarketplace.LocalCloud.Machines.AptMirror.Read("bookworm").Hosts[0];
        var address = (await Dns.GetHostAddressesAsync(mirror, AddressFamily.InterNetwork)).First().GetAddressBytes();
        var range = $"{address[0]}.{address[1]}.{address[2]}.0/24";
        var options = new LocalCloudOptions { DataDirectory = data, AddressRange = range };
        options.Tokens.Add(Token);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalCloudServer.StartAsync(options));

        Assert.Contains($"the package mirror {mirror}", error.Message);
    }

    private static int Slot(string address)
    {
        var range = AddressRange.Parse(AddressRange.Default);
        var offset = (int)(BitConverter.ToUInt32(IPAddress.Parse(address).GetAddressBytes().Reverse().ToArray()) - range.Network);
        return offset / 4;
    }

    private static bool SlotLeased(int slot)
    {
        try
        {
            using var probe = new FileStream($"/run/cake-domarketplace/slots/{slot}", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task<bool> ConnectsAsync(string address, int port)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string WithoutLocalClouds(string tables) =>
        string.Concat(
            tables.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(t => !t.Contains("cakedo_", StringComparison.Ordinal)).Select(t => t + "\n"));

    private static async Task<string> ProbeAsync(SshRemoteSession session, string address, int port) =>
        (await session.RunAsync($"timeout 3 bash -c 'echo > /dev/tcp/{address}/{port}' 2>/dev/null && echo open || echo blocked", Quiet)).StandardOutput.Trim();

    private static async Task<string> HostAsync(string file, params string[] arguments) =>
        (await ProcessRunner.RunAsync(file, arguments, "/", TimeSpan.FromSeconds(30))).Output;

    private static Task<DoDroplet> CreateAsync(DoApiClient api, string name, DoSshKey key) => LocalDroplets.CreateAsync(api, name, "debian-12-x64", key);

    private static Task<SshRemoteSession> ConnectAsync(DoDroplet droplet, SshKeyPair key) => LocalDroplets.ConnectAsync(droplet, key);
}
