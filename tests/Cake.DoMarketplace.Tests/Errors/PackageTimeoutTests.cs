using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Errors;

/// <summary>DoInstallPackages honours PackageSettings.Timeout, and a timeout names that setting.</summary>
public sealed class PackageTimeoutTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-packages-").FullName;
    private readonly IRemoteSession session = Substitute.For<IRemoteSession>();
    private readonly List<(string Command, RemoteCommandSettings? Settings)> runs = [];

    public PackageTimeoutTests()
    {
        session.Label.Returns("pkg");
        session.RunAsync(Arg.Any<string>(), Arg.Any<RemoteCommandSettings?>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var command = call.ArgAt<string>(0);
            runs.Add((command, call.ArgAt<RemoteCommandSettings?>(1)));
            var stdout = command.Contains("/etc/os-release", StringComparison.Ordinal) ? "ID=debian\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n" : string.Empty;
            return new RemoteCommandResult(command, 0, stdout, string.Empty, TimeSpan.Zero);
        });
    }

    public void Dispose() => Directory.Delete(work, true);

    private BuildDroplet Droplet() => new(9, "pkg", "192.0.2.10", "nyc3", "debian-12-x64", "s", session);

    private (string Command, RemoteCommandSettings Settings) Install() => runs.Single(r => r.Command.Contains(" install ", StringComparison.Ordinal)) is var (c, s) ? (c, s!) : default;

    [Fact]
    public void The_settings_timeout_bounds_the_install_and_is_named()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);

        context.DoInstallPackages(Droplet(), new PackageSettings { Timeout = TimeSpan.FromMinutes(7) }, "nginx", "ufw");

        var (command, settings) = Install();
        Assert.Contains("'nginx' 'ufw'", command);
        Assert.Equal(TimeSpan.FromMinutes(7), settings.Timeout);
        Assert.Equal("PackageSettings.Timeout", settings.TimeoutSetting);
    }

    [Fact]
    public void The_action_overload_and_the_plain_overload_use_the_same_settings()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);

        context.DoInstallPackages(Droplet(), s => s.Timeout = TimeSpan.FromMinutes(3), "nginx");
        Assert.Equal(TimeSpan.FromMinutes(3), Install().Settings.Timeout);

        runs.Clear();
        context.DoInstallPackages(Droplet(), "nginx");
        Assert.Equal(new PackageSettings().Timeout, Install().Settings.Timeout);
    }

    [Fact]
    public void A_non_positive_timeout_is_refused_before_anything_runs()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);

        var error = Assert.Throws<Diagnostics.DoSettingsException>(() => context.DoInstallPackages(Droplet(), s => s.Timeout = TimeSpan.Zero, "nginx"));

        Assert.Equal("PackageSettings.Timeout", error.Setting);
        Assert.Empty(runs);
    }
}
