using System.Net;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>
/// What the droplets' network must fit around, read from the host before any address is taken: its routes and
/// addresses, its DNS server and the package mirror's addresses. A range that collides with any of them is refused,
/// since adding it would cut the host (or the droplets) off from what it reaches today.
/// </summary>
internal sealed record HostNetworkSurvey(IPAddress DnsServer, IReadOnlyList<IPAddress> MirrorAddresses, IReadOnlyList<string> Uplinks)
{
    /// <summary>Prefix of every host-side link of ours; droplet link n is <c>cdm{n}</c>, its namespace <c>cdm-{n}</c>.</summary>
    public const string LinkPrefix = "cdm";

    public static async Task<HostNetworkSurvey> TakeAsync(AddressRange range, IReadOnlyList<string> mirrorHosts, ILogger log,
        CancellationToken cancellationToken)
    {
        var collisions = new List<string>();
        foreach (var route in JsonArray(await HostCommands.RunAsync(log, "ip", ["-j", "-4", "route", "show", "table", "all"], cancellationToken)))
        {
            var dst = route.TryGetProperty("dst", out var d) ? d.GetString() ?? string.Empty : string.Empty;
            var dev = route.TryGetProperty("dev", out var v) ? v.GetString() ?? string.Empty : string.Empty;
            var type = route.TryGetProperty("type", out var t) ? t.GetString() : null;
            var ours = dev.StartsWith(LinkPrefix, StringComparison.Ordinal) || type == "unreachable" && dst == range.ToString();
            if (!ours && dst != "default" && TryPrefix(dst, out var network, out var length) && length > 0 && range.Overlaps(network, length))
            {
                collisions.Add(
                    $"the route {dst}{(dev.Length > 0 ? " dev " + dev : string.Empty)}{(type is null or "unicast" ? string.Empty : " (" + type + ")")}");
            }
        }

        foreach (var link in JsonArray(await HostCommands.RunAsync(log, "ip", ["-j", "-4", "addr", "show"], cancellationToken)))
        {
            var name = link.GetProperty("ifname").GetString() ?? string.Empty;
            if (name.StartsWith(LinkPrefix, StringComparison.Ordinal) || !link.TryGetProperty("addr_info", out var infos))
            {
                continue;
            }

            foreach (var info in infos.EnumerateArray())
            {
                var local = info.GetProperty("local").GetString()!;
                if (range.Overlaps(AddressRange.ToNumber(IPAddress.Parse(local)), info.GetProperty("prefixlen").GetInt32()))
                {
                    collisions.Add($"the address {local}/{info.GetProperty("prefixlen").GetInt32()} of {name}");
                }
            }
        }

        var dns = ReadDnsServer();
        if (dns is not null && range.Contains(dns))
        {
            collisions.Add($"the DNS server {dns}");
        }

        var mirrors = new List<IPAddress>();
        foreach (var host in mirrorHosts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal]
                : await Dns.GetHostAddressesAsync(host, System.Net.Sockets.AddressFamily.InterNetwork, cancellationToken);
            foreach (var address in addresses.Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
            {
                if (range.Contains(address))
                {
                    collisions.Add($"the package mirror {host} ({address})");
                }

                mirrors.Add(address);
            }
        }

        if (collisions.Count > 0)
        {
            throw new InvalidOperationException(
                $"The droplet address range {range} (LocalCloudOptions.AddressRange, --address-range or LOCAL_CLOUD_ADDRESS_RANGE) collides with this "
                    + "machine's network: "
                + string.Join("; ", collisions.Distinct())
                + ". Taking it would cut the machine off from them. Choose a range none of them is in, such as " + AddressRange.Default
                    + " (RFC 2544) or an unused part of 10.0.0.0/8.");
        }

        if (dns is null)
        {
            throw new InvalidOperationException(
                "The local cloud found no IPv4 DNS server in /etc/resolv.conf (or systemd-resolved's /run/systemd/resolve/resolv.conf) for its droplets; apt "
                + "inside them needs one to find the package mirror.");
        }

        if (mirrors.Count == 0)
        {
            throw new InvalidOperationException($"The package mirror ({string.Join(", ", mirrorHosts)}) has no IPv4 address: droplets reach it over IPv4.");
        }

        var uplinks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in mirrors.Append(dns))
        {
            var route = JsonArray(await HostCommands.RunAsync(log, "ip", ["-j", "-4", "route", "get", address.ToString()], cancellationToken)).FirstOrDefault();
            if (route.ValueKind == JsonValueKind.Object && route.TryGetProperty("dev", out var dev) && dev.GetString() is { Length: > 0 } name && name != "lo")
            {
                uplinks.Add(name);
            }
        }

        return new HostNetworkSurvey(dns, mirrors.Distinct().ToList(), uplinks.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The first IPv4 name server the host uses; behind systemd-resolved's stub, the one it forwards to.</summary>
    private static IPAddress? ReadDnsServer()
    {
        foreach (var file in new[] { "/etc/resolv.conf", "/run/systemd/resolve/resolv.conf" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            var server = File.ReadLines(file)
                .Select(l => l.Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 2 && p[0] == "nameserver" && IPAddress.TryParse(p[1], out var a)
                    && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                .Select(p => IPAddress.Parse(p[1]))
                .FirstOrDefault();
            if (server is not null)
            {
                return server;
            }
        }

        return null;
    }

    private static bool TryPrefix(string text, out uint network, out int length)
    {
        var parts = text.Split('/');
        network = 0;
        length = parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 32;
        if (!IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        network = AddressRange.ToNumber(address);
        return true;
    }

    private static List<JsonElement> JsonArray(string json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
}
