using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Diagnostics;

/// <summary>A timeout message names the setting the user can really raise. No network: a closed port on 127.0.0.1.</summary>
public sealed class TimeoutSettingNamesTests : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(0.5);
    private readonly string work = Directory.CreateTempSubdirectory("cdm-timeouts-").FullName;
    private readonly RecordingLog log = new();

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task Ssh_connect_on_its_own_names_SshConnectOptions_ConnectTimeout()
    {
        var options = new SshConnectOptions { Host = "127.0.0.1", Port = FreeTcpPort.Next(), Key = SshKeyPair.Generate("t"), ConnectTimeout = Short };

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => SshRemoteSession.ConnectAsync(options, log));

        Assert.Equal("SshConnectOptions.ConnectTimeout", error.Setting);
        Assert.Contains("Raise SshConnectOptions.ConnectTimeout", error.Message);
        Assert.DoesNotContain("SshConnectTimeout", error.Message);
    }

    [Fact]
    public void DoAttachBuildDroplet_names_AttachDropletSettings_ConnectTimeout()
    {
        var keyPath = Path.Combine(work, "key");
        SshKeyPair.Generate("t").WritePrivateKeyFile(keyPath);
        var context = TestCakeContext.Create(log, work);

        var error = Assert.Throws<WaitTimeoutException>(() => context.DoAttachBuildDroplet(s =>
        {
            s.Host = "127.0.0.1";
            s.Port = FreeTcpPort.Next();
            s.PrivateKeyPath = keyPath;
            s.ConnectTimeout = Short;
        }));

        Assert.Contains("Raise AttachDropletSettings.ConnectTimeout", error.Message);
        Assert.DoesNotContain("BEGIN OPENSSH", error.Message + log.AllText);
    }

    [Theory]
    [InlineData(false, "BuildDropletSettings.SshTimeout")]
    [InlineData(true, "TestImageSettings.BootTimeout")]
    public async Task The_launcher_names_the_build_or_the_test_setting(bool testDroplet, string expected)
    {
        var api = Api();
        var port = FreeTcpPort.Next();
        var launcher = new BuildDropletLauncher(api, log, async (options, t) =>
        {
            options.Host = "127.0.0.1"; // the droplet's address, moved to a closed local port
            options.Port = port;
            return await SshRemoteSession.ConnectAsync(options, log, t);
        });
        var settings = new BuildDropletSettings { SshTimeout = Short };

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => testDroplet
            ? launcher.LaunchAsync(settings, CancellationToken.None, "test droplet", new LaunchTimeoutSettings(expected, expected, expected))
            : launcher.LaunchAsync(settings, CancellationToken.None));

        Assert.Equal(expected, error.Setting);
        Assert.Contains($"Raise {expected}", error.Message);
        await api.Received(1).DeleteDropletAsync(9, Arg.Any<CancellationToken>());
        await api.Received(1).DeleteSshKeyAsync(55, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task An_interactive_login_that_does_not_end_names_TestImageSettings_LoginTimeout()
    {
        var session = Substitute.For<IRemoteSession>();
        session.InteractiveLoginAsync(Arg.Any<IReadOnlyList<string>>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>())
            .Returns<Task<string>>(_ => throw new WaitTimeoutException("an interactive login on t to end", Short, "0 characters of output", setting: null));

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => ImageTester.LoginAsync(session, [], Short, CancellationToken.None));

        Assert.Contains("Raise TestImageSettings.LoginTimeout", error.Message);
        Assert.DoesNotContain("login timeout", error.Message);
    }

    [Fact]
    public async Task A_connect_timeout_inside_a_login_keeps_its_own_setting()
    {
        var session = Substitute.For<IRemoteSession>();
        session.InteractiveLoginAsync(Arg.Any<IReadOnlyList<string>>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>())
            .Returns<Task<string>>(_ => throw new WaitTimeoutException("SSH login", Short, "SocketException", "TestImageSettings.BootTimeout"));

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => ImageTester.LoginAsync(session, [], Short, CancellationToken.None));

        Assert.Equal("TestImageSettings.BootTimeout", error.Setting);
    }

    private static IDoApiClient Api()
    {
        var api = Substitute.For<IDoApiClient>();
        api.BaseUrl.Returns(new Uri("http://127.0.0.1:1/"));
        api.ListRegionsAsync(Arg.Any<CancellationToken>()).Returns([new DoRegion { Slug = "nyc3", Available = true, Sizes = ["s-1vcpu-512mb-10gb"] }]);
        api.ListSizesAsync(Arg.Any<CancellationToken>()).Returns(
            [new DoSize { Slug = "s-1vcpu-512mb-10gb", PriceMonthly = 4, Memory = 512, Available = true, Regions = ["nyc3"] }]);
        api.GetImageAsync("debian-12-x64", Arg.Any<CancellationToken>()).Returns(
            new DoImage { Id = 1, Slug = "debian-12-x64", Distribution = "Debian", Name = "12 x64", Regions = ["nyc3"] });
        api.CreateSshKeyAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new DoSshKey { Id = 55 });
        api.CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>()).Returns(new DoDroplet { Id = 9, Status = "new" });
        api.GetDropletAsync(9, Arg.Any<CancellationToken>()).Returns(
            new DoDroplet { Id = 9, Status = "active",
                Networks = new DoNetworks { V4 = [new DoNetworkAddress { IpAddress = "192.0.2.10", Type = "public" }] } });
        api.DeleteDropletAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        api.DeleteSshKeyAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        return api;
    }
}
