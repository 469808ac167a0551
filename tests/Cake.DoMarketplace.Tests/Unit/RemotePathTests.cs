using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class RemotePathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/opt/app")]
    [InlineData("/opt/app/")]
    [InlineData("/srv/with space/and'quote")]
    public void Absolute_paths_are_accepted(string path) => RemotePath.Validate(path);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("opt/app")]
    [InlineData("./app")]
    [InlineData("~/app")]
    [InlineData(" /opt")]
    public void Relative_or_empty_paths_are_refused_naming_the_setting(string path)
    {
        var error = Assert.Throws<DoSettingsException>(() => RemotePath.Validate(path, "UploadSettings.Destination"));

        Assert.Equal("UploadSettings.Destination", error.Setting);
        Assert.Contains("must be an absolute path on the droplet", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/opt/a\nb")]
    [InlineData("/opt/a\rb")]
    [InlineData("/opt/a\0b")]
    public void Line_breaks_and_nul_are_refused(string path)
    {
        var error = Assert.Throws<DoSettingsException>(() => RemotePath.Validate(path));

        Assert.Equal("remote path", error.Setting);
        Assert.Contains("NUL or line break", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/opt/app", "/opt")]
    [InlineData("/opt/app/", "/opt")]
    [InlineData("/a/b/c.txt", "/a/b")]
    [InlineData("/opt", "/")]
    [InlineData("/", "/")]
    [InlineData("relative", "/")]
    public void Parent_is_the_folder_above_trailing_slashes_ignored(string path, string expected) =>
        Assert.Equal(expected, RemotePath.Parent(path));

    [Theory]
    [InlineData("/opt", "app", "/opt/app")]
    [InlineData("/opt/", "app", "/opt/app")]
    [InlineData("/opt//", "/etc/app.conf", "/opt/etc/app.conf")]
    [InlineData("/", "etc", "/etc")]
    [InlineData("/", "/etc", "/etc")]
    public void Combine_joins_with_exactly_one_slash(string directory, string relative, string expected) =>
        Assert.Equal(expected, RemotePath.Combine(directory, relative));
}
