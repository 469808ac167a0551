using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Snapshots;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// The one table of which <c>digitalocean</c> builder field becomes which <c>DoBuildImage</c> setting. Read forward, it
/// fills the settings from the builder (<see cref="Apply"/>); read backward, it names the field a setting came from
/// (<see cref="FieldOf"/>), so that an error about a setting points the template's author at their own field.
/// </summary>
internal static class BuilderFields
{
    private static readonly Entry[] Entries =
    [
        Droplet("image", nameof(BuildDropletSettings.Image), (b, d) => d.Image = b.Image),
        Droplet("region", nameof(BuildDropletSettings.Region), (b, d) => d.Region = b.Region),
        Droplet("size", nameof(BuildDropletSettings.Size), (b, d) => d.Size = b.Size),
        Droplet("droplet_name", nameof(BuildDropletSettings.Name), (b, d) => d.Name = b.DropletName),
        Droplet("user_data", nameof(BuildDropletSettings.UserData), (b, d) => d.UserData = b.UserData),
        Droplet("vpc_uuid", nameof(BuildDropletSettings.VpcUuid), (b, d) => d.VpcUuid = b.VpcUuid),

        // As Packer sends them: with_droplet_agent only when the template sets droplet_agent (a template whose cleanup
        // purges droplet-agent* needs the agent DigitalOcean installs by default), the others always.
        Droplet("droplet_agent", nameof(BuildDropletSettings.DropletAgent), (b, d) => d.DropletAgent = b.DropletAgent),
        Droplet("monitoring", nameof(BuildDropletSettings.Monitoring), (b, d) => d.Monitoring = b.Monitoring),
        Droplet("ipv6", nameof(BuildDropletSettings.Ipv6), (b, d) => d.Ipv6 = b.Ipv6),
        Droplet("private_networking", nameof(BuildDropletSettings.PrivateNetworking), (b, d) => d.PrivateNetworking = b.PrivateNetworking),
        Droplet("tags", nameof(BuildDropletSettings.Tags), (b, d) => AddAll(d.Tags, b.Tags)),
        Droplet("state_timeout", nameof(BuildDropletSettings.ActiveTimeout), (b, d) => d.ActiveTimeout = b.StateTimeout ?? d.ActiveTimeout),
        Droplet("ssh_timeout", nameof(BuildDropletSettings.SshTimeout), (b, d) => d.SshTimeout = b.SshTimeout ?? d.SshTimeout),
        Snapshot("snapshot_name", nameof(SnapshotSettings.Name), (b, s) => s.Name = b.SnapshotName),
        Snapshot("snapshot_timeout", nameof(SnapshotSettings.SnapshotTimeout), (b, s) => s.SnapshotTimeout = b.SnapshotTimeout ?? s.SnapshotTimeout),

        // Packer lists the build's own region too; the snapshot is already there.
        Snapshot("snapshot_regions", nameof(SnapshotSettings.TransferRegions), (b, s) => AddAll(
            s.TransferRegions,
            b.SnapshotRegions.Where(r => !string.Equals(r, b.Region, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase))),
    ];

    /// <summary>Sets every mapped setting of <paramref name="image"/> from <paramref name="builder"/>.</summary>
    public static void Apply(DigitalOceanBuilder builder, MarketplaceImageSettings image)
    {
        foreach (var entry in Entries)
        {
            entry.Apply(builder, image);
        }
    }

    /// <summary>
    /// The builder field a droplet or snapshot setting came from (<c>BuildDropletSettings.Region</c> → <c>region</c>,
    /// <c>SnapshotSettings.Name</c> → <c>snapshot_name</c>), or null for a setting no field sets.
    /// </summary>
    public static string? FieldOf(string setting)
    {
        var property = setting.Split('.')[^1];
        var ofSnapshot = setting.Contains("Snapshot", StringComparison.Ordinal) && !setting.StartsWith(nameof(BuildDropletSettings), StringComparison.Ordinal);
        return Entries.FirstOrDefault(e => e.OfSnapshot == ofSnapshot && e.Property == property)?.Field;
    }

    private static Entry Droplet(string field, string property, Action<DigitalOceanBuilder, BuildDropletSettings> apply) =>
        new(field, false, property, (b, image) => apply(b, image.Droplet));

    private static Entry Snapshot(string field, string property, Action<DigitalOceanBuilder, SnapshotSettings> apply) =>
        new(field, true, property, (b, image) => apply(b, image.Snapshot));

    private static void AddAll(ICollection<string> target, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            target.Add(value);
        }
    }

    private sealed record Entry(string Field, bool OfSnapshot, string Property, Action<DigitalOceanBuilder, MarketplaceImageSettings> Apply);
}
