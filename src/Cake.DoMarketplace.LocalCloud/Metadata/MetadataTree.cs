using System.Globalization;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Metadata;

/// <summary>
/// One droplet's metadata as DigitalOcean's metadata service serves it (DigitalOcean's Metadata API reference:
/// "Droplet Properties", "Network Interfaces", "DNS", "Tags", "Features", "Floating IPs"/"Reserved IPs"), read from
/// the same record the API answers from. <c>/metadata/v1.json</c> is one JSON object (the reference calls it an array;
/// DigitalOcean's go-metadata client, and droplets, read an object) with underscored keys; <c>/metadata/v1/</c> is a tree
/// of text leaves with hyphenated names, each folder listing its entries one per line, sub-folders with a trailing slash.
/// What a droplet here does not have (IPv6, a private interface, an anchor address, floating or reserved IPs) is absent,
/// or <c>false</c> where DigitalOcean reports a flag.
/// </summary>
internal sealed class MetadataTree
{
    private readonly Dictionary<string, string> leaves = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> folders = new(StringComparer.Ordinal);

    private MetadataTree(object document)
    {
        Document = document;
    }

    /// <summary>The <c>/metadata/v1.json</c> object.</summary>
    public object Document { get; }

    public static MetadataTree For(DropletRecord droplet, IReadOnlyList<string> tags, string netmask)
    {
        var id = droplet.Id.ToString(CultureInfo.InvariantCulture);
        var nameservers = new[] { droplet.Address.Gateway };
        var document = new Dictionary<string, object?>
        {
            ["droplet_id"] = droplet.Id,
            ["hostname"] = droplet.Name,
            ["vendor_data"] = droplet.VendorData,
            ["public_keys"] = droplet.PublicKeys,
            ["region"] = droplet.Region,
            ["interfaces"] = new Dictionary<string, object>
            {
                ["public"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["ipv4"] = new Dictionary<string,
                            string> { ["ip_address"] = droplet.IpAddress, ["netmask"] = netmask, ["gateway"] = droplet.Address.Gateway },
                        ["mac"] = droplet.Mac,
                        ["type"] = "public",
                    },
                },
            },
            ["floating_ip"] = new Dictionary<string, object> { ["ipv4"] = new Dictionary<string, bool> { ["active"] = false } },
            ["reserved_ip"] = new Dictionary<string, object> { ["ipv4"] = new Dictionary<string, bool> { ["active"] = false } },
            ["dns"] = new Dictionary<string, object> { ["nameservers"] = nameservers },
            ["tags"] = tags,
            ["features"] = new Dictionary<string, bool> { ["dhcp_enabled"] = false },
        };
        if (droplet.UserData is { } userData)
        {
            document["user_data"] = userData;
        }

        var tree = new MetadataTree(document);
        tree.Leaf("id", id);
        tree.Leaf("hostname", droplet.Name);
        tree.Leaf("user-data", droplet.UserData ?? string.Empty);
        tree.Leaf("vendor-data", droplet.VendorData);
        tree.Leaf("public-keys", string.Join('\n', droplet.PublicKeys));
        tree.Leaf("region", droplet.Region);
        tree.Leaf("interfaces/public/0/ipv4/address", droplet.IpAddress);
        tree.Leaf("interfaces/public/0/ipv4/netmask", netmask);
        tree.Leaf("interfaces/public/0/ipv4/gateway", droplet.Address.Gateway);
        tree.Leaf("interfaces/public/0/mac", droplet.Mac);
        tree.Leaf("interfaces/public/0/type", "public");
        tree.Leaf("dns/nameservers", string.Join('\n', nameservers));
        tree.Leaf("floating_ip/ipv4/active", "false");
        tree.Leaf("reserved_ip/ipv4/active", "false");
        tree.Folder("tags");
        foreach (var tag in tags)
        {
            tree.Leaf("tags/" + tag, tag);
        }

        tree.Leaf("features/dhcp_enabled", "false");
        return tree;
    }

    /// <summary>The answer for a path under <c>/metadata/v1/</c> (without that prefix; "" for the index).</summary>
    public (int Status, string Body, string? Location) Answer(string path)
    {
        if (leaves.TryGetValue(path, out var leaf))
        {
            return (200, leaf, null);
        }

        var folder = path.TrimEnd('/');
        if (folders.TryGetValue(folder, out var entries))
        {
            return path.Length == 0 || path.EndsWith('/')
                ? (200, string.Join('\n', entries), null)
                : (301, "Moved Permanently", folder + "/");
        }

        return (404, "not found", null);
    }

    private void Leaf(string path, string value)
    {
        leaves[path] = value;
        Register(path, isFolder: false);
    }

    private void Folder(string path) => Register(path, isFolder: true);

    // Adds the entry to its parent folder's listing, the parent to its own, up to the index ("").
    private void Register(string path, bool isFolder)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? string.Empty : path[..slash];
        var name = (slash < 0 ? path : path[(slash + 1)..]) + (isFolder ? "/" : string.Empty);
        if (!folders.TryGetValue(parent, out var entries))
        {
            folders[parent] = entries = [];
            if (parent.Length > 0)
            {
                Register(parent, isFolder: true);
            }
        }

        if (!entries.Contains(name))
        {
            entries.Add(name);
        }

        if (isFolder && !folders.ContainsKey(path))
        {
            folders[path] = [];
        }
    }
}
