using System.Globalization;
using System.Text;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>
/// Each droplet's own network: a network namespace with <c>eth0</c> holding the droplet's address, a veth link to the
/// host whose host side is the droplet's gateway, and — for the whole local cloud — one nftables table that NATs the
/// droplets out to the package mirror and the DNS server (reached at the gateway) and drops everything else they
/// send, and drops what anyone else sends to them; of the host they reach their gateway only. While it runs, an <c>unreachable</c> route for the whole range
/// keeps
/// a stopped droplet's address on this machine. <see cref="DisposeAsync"/> removes every link, rule, route and
/// forwarding setting it made; the host-wide pieces (the range's route, forwarding on the uplink) go when the last
/// local cloud of the machine stops.
/// </summary>
internal sealed class DropletNetwork : IAsyncDisposable
{
    private static int instances;
    private readonly AddressRange range;
    private readonly HostNetworkSurvey survey;
    private readonly SharedHostSettings shared;
    private readonly ILogger log;
    private readonly HashSet<int> slots = [];
    private readonly SemaphoreSlim gate = new(1, 1);

    private DropletNetwork(AddressRange range, HostNetworkSurvey survey, SharedHostSettings shared, string table, ILogger log)
    {
        this.range = range;
        this.survey = survey;
        this.shared = shared;
        this.log = log;
        Table = table;
    }

    /// <summary>This local cloud's nftables table (<c>ip cakedo_PID_N</c>).</summary>
    public string Table { get; }

    public AddressRange Range => range;

    /// <summary>Checks the range against the host, removes what crashed local clouds left, and sets up the NAT table.</summary>
    public static async Task<DropletNetwork> StartAsync(AddressRange range, IReadOnlyList<string> mirrorHosts, ILogger log, CancellationToken cancellationToken)
    {
        var survey = await HostNetworkSurvey.TakeAsync(range, mirrorHosts, log, cancellationToken);
        await StaleNetworks.RemoveAsync(log, cancellationToken);
        await RemoveStaleTablesAsync(log, cancellationToken);
        var table = $"cakedo_{Environment.ProcessId}_{Interlocked.Increment(ref instances)}";
        var shared = await SharedHostSettings.JoinAsync(table, range, survey.Uplinks, log, cancellationToken);
        var network = new DropletNetwork(range, survey, shared, table, log);
        try
        {
            await HostCommands.RunAsync(log, "nft", ["-f", "-"], cancellationToken, stdin: network.Ruleset());
            log.NetworkStarted(range, survey.MirrorAddresses, survey.DnsServer, survey.Uplinks, table);
            return network;
        }
        catch
        {
            await shared.LeaveAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Makes slot <paramref name="slot"/>'s namespace and link (a stale one of a crashed run is replaced); the droplet's
    /// <c>eth0</c> gets <paramref name="mac"/>, the address its metadata reports.
    /// </summary>
    public async Task AddDropletAsync(int slot, string mac, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (slots.Contains(slot))
            {
                return;
            }

            await RemoveLinkAsync(slot, log);
            var (link, ns) = Names(slot);
            var host = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"netns add {ns}")
                .AppendLine(CultureInfo.InvariantCulture, $"link add {link} type veth peer name eth0 address {mac} netns {ns}")
                .AppendLine(CultureInfo.InvariantCulture, $"addr add {range.Gateway(slot)}/30 dev {link}")
                .AppendLine(CultureInfo.InvariantCulture, $"link set {link} alias {Table}")
                .AppendLine(CultureInfo.InvariantCulture, $"link set {link} up");
            await HostCommands.RunAsync(log, "ip", ["-batch", "-"], cancellationToken, stdin: host.ToString());
            // Forwarding for this link only (the uplink's is SharedHostSettings'); no IPv6 on it, as droplets here have none.
            await File.WriteAllTextAsync($"/proc/sys/net/ipv4/conf/{link}/forwarding", "1", cancellationToken);
            await File.WriteAllTextAsync($"/proc/sys/net/ipv6/conf/{link}/disable_ipv6", "1", cancellationToken);
            var inside = new StringBuilder()
                .AppendLine("link set lo up")
                .AppendLine(CultureInfo.InvariantCulture, $"addr add {range.DropletAddress(slot)}/30 dev eth0")
                .AppendLine("link set eth0 up")
                .AppendLine(CultureInfo.InvariantCulture, $"route add default via {range.Gateway(slot)}");
            await HostCommands.RunAsync(log, "ip", ["-n", ns, "-batch", "-"], cancellationToken, stdin: inside.ToString());
            await HostCommands.RunAsync(log, "nft", ["add", "element", "ip", Table, "links", $"{{ {link} }}"], cancellationToken);
            slots.Add(slot);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes slot <paramref name="slot"/>'s link and namespace; the range's route keeps its address here.</summary>
    public async Task RemoveDropletAsync(int slot)
    {
        await gate.WaitAsync();
        try
        {
            await RemoveLinkAsync(slot, log);
            if (slots.Remove(slot))
            {
                await HostCommands.RunAllowingFailureAsync(log, "nft", ["delete", "element", "ip", Table, "links", $"{{ {Names(slot).Link} }}"]);

                // A refusal's timeout would outlive the droplet and refuse the next droplet given this address.
                await HostCommands.RunAllowingFailureAsync(log, "nft",
                    ["delete", "element", "ip", Table, "ssh_refused", $"{{ {range.DropletAddress(slot)} }}"]);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Sends what this cloud's droplets ask of <c>169.254.169.254:80</c> to the metadata service listening on
    /// <paramref name="port"/> (redirected to their gateway, so the service knows each droplet by its address); the
    /// port answers nothing but those redirected connections.
    /// </summary>
    public Task ServeMetadataAsync(int port, CancellationToken cancellationToken)
    {
        var rules = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture,
                $"add rule ip {Table} prerouting iifname @links ip daddr {MetadataAddress} tcp dport 80 redirect to :{port}")
            .AppendLine(CultureInfo.InvariantCulture, $"add rule ip {Table} input tcp dport {port} ct status != dnat drop");
        return HostCommands.RunAsync(log, "nft", ["-f", "-"], cancellationToken, stdin: rules.ToString());
    }

    /// <summary>DigitalOcean's metadata service address, reachable from each droplet only.</summary>
    public const string MetadataAddress = "169.254.169.254";

    /// <summary>Refuses SSH connections to an address for a while (an injected fault: sshd not yet accepting).</summary>
    public Task RefuseSshAsync(string address, TimeSpan duration) =>
        HostCommands.RunAsync(log, "nft",
            ["add", "element", "ip", Table, "ssh_refused", $"{{ {address} timeout {Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds))}s }}"],
            CancellationToken.None);

    /// <summary>The namespace file a machine joins to use slot <paramref name="slot"/>'s network.</summary>
    public static string NamespacePath(int slot) => $"/run/netns/{Names(slot).Namespace}";

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in slots.ToList())
        {
            await RemoveDropletAsync(slot);
        }

        await HostCommands.RunAllowingFailureAsync(log, "nft", ["delete", "table", "ip", Table]);
        await shared.LeaveAsync(CancellationToken.None);
        gate.Dispose();
    }

    /// <summary>Link and namespace names of a slot, unique on the machine since slots are leased machine-wide.</summary>
    public static (string Link, string Namespace) Names(int slot) =>
        ($"{HostNetworkSurvey.LinkPrefix}{slot.ToString(CultureInfo.InvariantCulture)}",
            $"{HostNetworkSurvey.LinkPrefix}-{slot.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>Deletes slot <paramref name="slot"/>'s host link and namespace, whichever exist.</summary>
    public static async Task RemoveLinkAsync(int slot, ILogger log)
    {
        var (link, ns) = Names(slot);
        if (Directory.Exists($"/sys/class/net/{link}"))
        {
            await HostCommands.RunAllowingFailureAsync(log, "ip", ["link", "delete", link]);
        }

        if (File.Exists(NamespacePath(slot)))
        {
            await HostCommands.RunAllowingFailureAsync(log, "ip", ["netns", "delete", ns]);
        }
    }

    // The table as `nft -f -` reads it.
    private string Ruleset()
    {
        var links = $"\"{HostNetworkSurvey.LinkPrefix}*\"";
        var uplinks = "{ " + string.Join(", ", survey.Uplinks.Select(u => $"\"{u}\"")) + " }";
        var mirrors = "{ " + string.Join(", ", survey.MirrorAddresses) + " }";
        var dns = survey.DnsServer;

        // Ends the forward chain: the host forwarded nothing for these interfaces before we switched forwarding on for the
        // droplets' replies.
        var unforwarded = shared.ForwardingTurnedOn.Count == 0
            ? string.Empty
            : $"\n    iifname {{ {string.Join(", ", shared.ForwardingTurnedOn.Select(u => $"\"{u}\""))} }} oifname != {links} drop";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            table ip {{Table}} {
              set ssh_refused { type ipv4_addr; flags timeout; }
              # This local cloud's droplet links (link names are unique on the machine: slots are leased machine-wide).
              set links { type ifname; }
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                iifname {{links}} ip saddr {{range}} ip daddr {{range}} meta l4proto { tcp, udp } th dport 53 dnat to {{dns}}
              }
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                ip saddr {{range}} oifname {{uplinks}} masquerade
              }
              chain forward {
                type filter hook forward priority filter; policy accept;
                iifname {{links}} ip saddr {{range}} ip daddr {{mirrors}} tcp dport { 80, 443 } accept
                iifname {{links}} ip saddr {{range}} ip daddr {{dns}} meta l4proto { tcp, udp } th dport 53 accept
                iifname {{links}} drop
                oifname {{links}} ct state established,related accept
                oifname {{links}} drop{{unforwarded}}
              }
              chain input {
                type filter hook input priority filter; policy accept;
                # Of the host, a droplet reaches only what the local cloud serves it: its metadata service (redirected here
                # from 169.254.169.254) and DNS (DNAT'ed to the host's resolver); ping of its gateway; replies to the host's
                # own connections (SSH to the droplet). No other service of the host, on any of its addresses.
                iifname {{links}} ct state established,related accept
                iifname {{links}} ct status dnat accept
                iifname {{links}} icmp type echo-request fib daddr . iif type local accept
                iifname {{links}} drop
              }
              chain output {
                type filter hook output priority filter; policy accept;
                ip daddr @ssh_refused tcp dport 22 reject with tcp reset
              }
            }

            """);
    }

    /// <summary>Deletes the tables of local clouds whose process is gone (a crash or kill -9 skipped their clean-up).</summary>
    private static async Task RemoveStaleTablesAsync(ILogger log, CancellationToken cancellationToken)
    {
        var tables = await HostCommands.RunAsync(log, "nft", ["list", "tables", "ip"], cancellationToken);
        foreach (var line in tables.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ').Last();
            var parts = name.Split('_');
            if (parts.Length == 3 && parts[0] == "cakedo" && int.TryParse(parts[1], out var pid) && !SharedHostSettings.IsAlive(pid))
            {
                log.RemovingStaleTable(name);
                await HostCommands.RunAllowingFailureAsync(log, "nft", ["delete", "table", "ip", name]);
            }
        }
    }
}
