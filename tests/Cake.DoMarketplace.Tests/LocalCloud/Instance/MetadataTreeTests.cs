using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Metadata;
using Cake.DoMarketplace.LocalCloud.Network;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.Tests.LocalCloud.Instance;

/// <summary>
/// The metadata service's answers, against DigitalOcean's Metadata API reference: the index and its order, text
/// leaves with hyphens, folders listing their entries, 301 for a folder without its slash, 404 otherwise, and
/// <c>v1.json</c> as one object with underscored keys (the shape DigitalOcean's go-metadata client decodes).
/// </summary>
public sealed class MetadataTreeTests
{
    private static readonly DropletRecord Droplet = new()
    {
        Id = 501000042,
        Name = "web-1",
        Region = "fra1",
        Size = new SizeSlug("s-1vcpu-512mb-10gb", 512, 1, 10),
        Image = ImageRecord.Base(Cake.DoMarketplace.LocalCloud.Machines.BaseImage.All[0], DateTime.UtcNow),
        Address = new DropletAddress(3, "198.18.0.14", "198.18.0.13"),
        CreatedAt = DateTimeOffset.UtcNow,
        PublicKeys = ["ssh-ed25519 AAAAC3Nza first", "ssh-ed25519 AAAAC3Nzb second"],
        Tags = ["web", "env:prod"],
        Features = [],
        UserData = "#!/bin/sh\necho hi\n",
        VendorData = "#cloud-config\nmanage_etc_hosts: true\n",
        Mac = "02:00:1d:de:5d:2a",
    };

    private static MetadataTree Tree(DropletRecord? droplet = null) =>
        MetadataTree.For(droplet ?? Droplet, (droplet ?? Droplet).Tags, AddressRange.SlotNetmask);

    [Fact]
    public void The_index_lists_what_DigitalOcean_lists_in_its_order()
    {
        var (status, body, _) = Tree().Answer(string.Empty);

        Assert.Equal(200, status);
        Assert.Equal(
            ["id", "hostname", "user-data", "vendor-data", "public-keys", "region", "interfaces/", "dns/", "floating_ip/", "reserved_ip/", "tags/",
                "features/"],
            body.Split('\n'));
    }

    [Theory]
    [InlineData("id", "501000042")]
    [InlineData("hostname", "web-1")]
    [InlineData("region", "fra1")]
    [InlineData("user-data", "#!/bin/sh\necho hi\n")]
    [InlineData("vendor-data", "#cloud-config\nmanage_etc_hosts: true\n")]
    [InlineData("public-keys", "ssh-ed25519 AAAAC3Nza first\nssh-ed25519 AAAAC3Nzb second")]
    [InlineData("interfaces/public/0/ipv4/address", "198.18.0.14")]
    [InlineData("interfaces/public/0/ipv4/netmask", "255.255.255.252")]
    [InlineData("interfaces/public/0/ipv4/gateway", "198.18.0.13")]
    [InlineData("interfaces/public/0/mac", "02:00:1d:de:5d:2a")]
    [InlineData("interfaces/public/0/type", "public")]
    [InlineData("dns/nameservers", "198.18.0.13")]
    [InlineData("floating_ip/ipv4/active", "false")]
    [InlineData("features/dhcp_enabled", "false")]
    [InlineData("interfaces/", "public/")]
    [InlineData("interfaces/public/", "0/")]
    [InlineData("interfaces/public/0/", "ipv4/\nmac\ntype")]
    [InlineData("interfaces/public/0/ipv4/", "address\nnetmask\ngateway")]
    [InlineData("tags/", "web\nenv:prod")]
    public void Leaves_and_folders_answer_text(string path, string expected)
    {
        var (status, body, location) = Tree().Answer(path);

        Assert.Equal((200, expected, null), (status, body, location));
    }

    [Theory]
    [InlineData("interfaces", "interfaces/")]
    [InlineData("interfaces/public/0/ipv4", "interfaces/public/0/ipv4/")]
    [InlineData("tags", "tags/")]
    public void A_folder_without_its_slash_is_moved_permanently(string path, string location) =>
        Assert.Equal((301, location), (Tree().Answer(path).Status, Tree().Answer(path).Location));

    [Theory]
    [InlineData("nope")]
    [InlineData("interfaces/private/0/ipv4/address")]
    [InlineData("interfaces/public/0/ipv6/address")]
    [InlineData("id/")]
    public void Anything_else_is_not_found(string path) => Assert.Equal(404, Tree().Answer(path).Status);

    [Fact]
    public void A_droplet_without_tags_or_user_data_still_has_the_tags_folder_and_an_empty_user_data()
    {
        var bare = MetadataTree.For(
            new DropletRecord
            {
                Id = 1, Name = "bare", Region = "nyc3", Size = Droplet.Size, Image = Droplet.Image, Address = Droplet.Address,
                CreatedAt = Droplet.CreatedAt, PublicKeys = [], Tags = [], Features = [], VendorData = string.Empty, Mac = Droplet.Mac,
            },
            [],
            AddressRange.SlotNetmask);

        Assert.Equal((200, string.Empty), (bare.Answer("tags/").Status, bare.Answer("tags/").Body));
        Assert.Equal((200, string.Empty), (bare.Answer("user-data").Status, bare.Answer("user-data").Body));
        Assert.DoesNotContain("user_data", JsonSerializer.Serialize(bare.Document));
    }

    [Fact]
    public void The_json_document_is_one_object_with_underscored_keys()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Tree().Document));
        var root = json.RootElement;

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(501000042, root.GetProperty("droplet_id").GetInt64());
        Assert.Equal("web-1", root.GetProperty("hostname").GetString());
        Assert.Equal("#!/bin/sh\necho hi\n", root.GetProperty("user_data").GetString());
        Assert.Equal("fra1", root.GetProperty("region").GetString());
        Assert.Equal(2, root.GetProperty("public_keys").GetArrayLength());
        var eth0 = root.GetProperty("interfaces").GetProperty("public")[0];
        Assert.Equal("198.18.0.14", eth0.GetProperty("ipv4").GetProperty("ip_address").GetString());
        Assert.Equal("198.18.0.13", eth0.GetProperty("ipv4").GetProperty("gateway").GetString());
        Assert.Equal("02:00:1d:de:5d:2a", eth0.GetProperty("mac").GetString());
        Assert.Equal(["198.18.0.13"], root.GetProperty("dns").GetProperty("nameservers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["web", "env:prod"], root.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.False(root.GetProperty("features").GetProperty("dhcp_enabled").GetBoolean());
    }
}
