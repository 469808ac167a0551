using Cake.DoMarketplace.Packer;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>The builder-field table read backward: a setting's error names the template field it came from.</summary>
public sealed class BuilderFieldsTests
{
    [Theory]
    [InlineData("BuildDropletSettings.Region", "region")]
    [InlineData("BuildDropletSettings.Name", "droplet_name")]
    [InlineData("BuildDropletSettings.ActiveTimeout", "state_timeout")]
    [InlineData("BuildDropletSettings.Tags", "tags")]
    [InlineData("SnapshotSettings.Name", "snapshot_name")]
    [InlineData("MarketplaceImageSettings.Snapshot.TransferRegions", "snapshot_regions")]
    [InlineData("SnapshotSettings.SnapshotTimeout", "snapshot_timeout")]
    [InlineData("BuildDropletSettings.CloudInitTimeout", null)]
    [InlineData("ValidationSettings.FailOnWarning", null)]
    public void A_setting_is_traced_back_to_its_builder_field(string setting, string? field) =>
        Assert.Equal(field, BuilderFields.FieldOf(setting));
}
