using Cake.DoMarketplace.LocalCloudLaunch;
using Cake.Core;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.LocalCloud;
using NSubstitute;
using Path = System.IO.Path;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>Where DoStartLocalCloud finds the tool: the setting, Cake's #tool, the tool manifest — or says how to install it.</summary>
public sealed class LocalCloudCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-tool-").FullName;
    private readonly ICakeEnvironment environment = Substitute.For<ICakeEnvironment>();

    public LocalCloudCommandTests() => environment.WorkingDirectory.Returns(new DirectoryPath(work));

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void A_dll_in_the_setting_runs_with_dotnet_and_a_missing_one_is_named()
    {
        var dll = Path.Combine(work, "Cake.DoMarketplace.LocalCloud.dll");
        File.WriteAllText(dll, string.Empty);

        var command = LocalCloudCommand.Resolve(new LocalCloudSettings { ToolPath = dll }, new FileSystem(), environment, _ => null);
        var missing = Assert.Throws<DoSettingsException>(()
            => LocalCloudCommand.Resolve(new LocalCloudSettings { ToolPath = Path.Combine(work, "gone") }, new FileSystem(), environment, _ => null));

        Assert.Equal("dotnet", command.File);
        Assert.Equal(dll, Assert.Single(command.Prefix));
        Assert.Contains("LocalCloudSettings.ToolPath", missing.Message);
    }

    [Fact]
    public void The_tool_cake_installed_comes_next_then_the_tool_manifest()
    {
        var installed = LocalCloudCommand.Resolve(new LocalCloudSettings(), new FileSystem(), environment, name => name == "do-local-cloud"
            ? new FilePath("/tools/do-local-cloud") : null);
        Directory.CreateDirectory(Path.Combine(work, ".config"));
        File.WriteAllText(Path.Combine(work, ".config", "dotnet-tools.json"),
            """{"version":1,"isRoot":true,"tools":{"cake.domarketplace.localcloud":{"version":"0.1.0","commands":["do-local-cloud"]}}}""");
        var manifest = LocalCloudCommand.Resolve(new LocalCloudSettings(), new FileSystem(), environment, _ => null);

        Assert.Equal("/tools/do-local-cloud", installed.File);
        Assert.Equal(["tool", "run", "do-local-cloud", "--"], manifest.Prefix);
    }

    [Fact]
    public void Without_the_tool_the_error_says_how_to_install_it()
    {
        var e = Assert.Throws<DoSettingsException>(() => LocalCloudCommand.Resolve(new LocalCloudSettings(), new FileSystem(), environment, _ => null));

        Assert.Contains("#tool dotnet:?package=Cake.DoMarketplace.LocalCloud&version=", e.Message);
        Assert.Contains("dotnet tool install Cake.DoMarketplace.LocalCloud", e.Message);
    }
}
