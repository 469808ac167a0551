using Cake.DoMarketplace.LocalCloud.Machines;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// The local cloud's cloud-init configuration is a layer of its own data folder, under its droplets: never written into
/// the base image cache that local clouds of other versions share, and never truncated in place (a booting cloud-init
/// read such a file empty once and fell back to Debian's default user).
/// </summary>
public sealed class PlatformLayerTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo data = Directory.CreateTempSubdirectory("cdm-platform-");

    private PlatformLayer Layer => new(data.FullName);

    private string Config => Path.Combine(Layer.Folder, "etc", "cloud", "cloud.cfg.d", "90-local-cloud.cfg");

    [Fact]
    public void The_layer_holds_DigitalOceans_datasource_list_and_the_ds_identify_policy_in_the_data_folder()
    {
        Layer.Write();

        Assert.StartsWith(data.FullName, Layer.Folder, StringComparison.Ordinal);
        Assert.Contains("datasource_list: [ ConfigDrive, DigitalOcean, NoCloud, None ]", File.ReadAllText(Config), StringComparison.Ordinal);
        Assert.Contains("policy: enabled", File.ReadAllText(Path.Combine(Layer.Folder, "etc", "cloud", "ds-identify.cfg")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unchanged_configuration_is_left_alone()
    {
        Layer.Write();
        File.SetLastWriteTimeUtc(Config, LongAgo);

        Layer.Write();

        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(Config));
    }

    [Fact]
    public void A_changed_configuration_is_replaced_whole_and_nothing_staged_stays()
    {
        Layer.Write();
        var current = File.ReadAllText(Config);
        File.WriteAllText(Config, "# an older version of this code\n");

        Layer.Write();

        Assert.Equal(current, File.ReadAllText(Config));
        Assert.Equal(["90-local-cloud.cfg"], Directory.GetFiles(Path.GetDirectoryName(Config)!).Select(Path.GetFileName));
    }

    public void Dispose() => data.Delete(true);
}
