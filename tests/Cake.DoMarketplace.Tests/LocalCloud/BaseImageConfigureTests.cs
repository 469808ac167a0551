using Cake.DoMarketplace.LocalCloud.Machines;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// The cached base image is the lower layer of droplets that other local clouds boot meanwhile: refreshing our
/// cloud-init configuration in it must never truncate the file in place (a booting cloud-init read it empty once and
/// fell back to Debian's default user).
/// </summary>
public sealed class BaseImageConfigureTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("cdm-baseimage-");

    private string Config => Path.Combine(root.FullName, "etc", "cloud", "cloud.cfg.d", "90-local-cloud.cfg");

    [Fact]
    public void An_unchanged_configuration_is_left_alone()
    {
        BaseImageBuilder.Configure(root.FullName);
        Assert.Contains("users: []", File.ReadAllText(Config), StringComparison.Ordinal);
        File.SetLastWriteTimeUtc(Config, LongAgo);

        BaseImageBuilder.Configure(root.FullName);

        Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(Config));
    }

    [Fact]
    public void A_changed_configuration_is_replaced_whole_and_nothing_staged_stays()
    {
        BaseImageBuilder.Configure(root.FullName);
        var current = File.ReadAllText(Config);
        File.WriteAllText(Config, "# an older version of this code\n");

        BaseImageBuilder.Configure(root.FullName);

        Assert.Equal(current, File.ReadAllText(Config));
        Assert.Equal(["90-local-cloud.cfg"], Directory.GetFiles(Path.GetDirectoryName(Config)!).Select(Path.GetFileName));
    }

    public void Dispose() => root.Delete(true);
}
