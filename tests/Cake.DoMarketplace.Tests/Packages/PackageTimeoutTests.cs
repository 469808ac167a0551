using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Packages;

/// <summary>DoInstallPackages honours PackageSettings.Timeout and LockTimeout, and a timeout names its setting.</summary>
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
            var stdout = command.Contains("/etc/os-release", StringComparison.Ordinal) ? "ID=debian\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
                : command.Contains("package_lock_holders && echo", StringComparison.Ordinal) ? "package locks checked\n" // the locks are free
                : string.Empty;
            return new RemoteCommandResult(command, 0, stdout, string.Empty, TimeSpan.Zero);
        });
    }

    public void Dispose() => Directory.Delete(work, true);

    private BuildDroplet Droplet() => new(9, "pkg", "192.0.2.10", "nyc3", "debian-12-x64", "s", session);

    private (string Command, RemoteCommandSettings Settings) Install() =>
        runs.Single(r => r.Command.Contains(" install --no-install-recommends ", StringComparison.Ordinal)) is var (c, s) ? (c, s!) : default;

    [Fact]
    public void The_settings_timeout_bounds_the_install_and_is_named()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);

        var result = context.DoInstallPackages(Droplet(), new PackageSettings { Timeout = TimeSpan.FromMinutes(7) }, "nginx", "ufw");

        var (command, settings) = Install();
        Assert.EndsWith("package_run apt-get -y -q -o Dpkg::Use-Pty=0 -o APT::Color=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold " +
                        "install --no-install-recommends 'nginx' 'ufw'", result.Command);
        Assert.Matches("PACKAGE_LOCK_TIMEOUT='[0-9]+' PACKAGE_LOCK_SETTING='PackageSettings.LockTimeout' bash -c", command);
        Assert.Equal(TimeSpan.FromMinutes(7), settings.Timeout);
        Assert.Equal("PackageSettings.Timeout", settings.TimeoutSetting);
    }

    [Fact]
    public void The_lock_timeout_goes_to_the_run_as_the_seconds_left_of_it()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);

        context.DoInstallPackages(Droplet(), s => s.LockTimeout = TimeSpan.FromSeconds(90), "nginx");

        // The probe found the locks free: what is left of the 90 s, in whole seconds, goes to the run's own waits.
        var left = System.Text.RegularExpressions.Regex.Match(Install().Command, "PACKAGE_LOCK_TIMEOUT='([0-9]+)'").Groups[1].Value;
        Assert.InRange(int.Parse(left, System.Globalization.CultureInfo.InvariantCulture), 1, 90);
        Assert.Equal(1, runs.Count(r => r.Command.Contains("package_lock_holders && echo", StringComparison.Ordinal)));
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

        var error = Assert.Throws<DoSettingsException>(() => context.DoInstallPackages(Droplet(), s => s.Timeout = TimeSpan.Zero, "nginx"));

        Assert.Equal("PackageSettings.Timeout", error.Setting);
        Assert.Empty(runs);
    }

    [Fact]
    public void A_non_positive_lock_timeout_is_refused_before_anything_runs()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);

        var error = Assert.Throws<DoSettingsException>(() => context.DoUpdatePackages(Droplet(), s => s.LockTimeout = TimeSpan.FromSeconds(-1)));

        Assert.Equal("PackageSettings.LockTimeout", error.Setting);
        Assert.Empty(runs);
    }

    [Theory]
    [InlineData("PackageSettings.LockTimeout")]
    [InlineData("CleanupSettings.PackageLockTimeout")]
    public void DoBuildImage_refuses_a_non_positive_lock_timeout_before_any_droplet_exists(string setting)
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);
        var settings = new Cake.DoMarketplace.Pipeline.MarketplaceImageSettings();
        settings.PackageManager.LockTimeout = setting.StartsWith("Package", StringComparison.Ordinal) ? TimeSpan.Zero : settings.PackageManager.LockTimeout;
        settings.Cleanup.PackageLockTimeout = setting.StartsWith("Cleanup", StringComparison.Ordinal) ? TimeSpan.Zero : settings.Cleanup.PackageLockTimeout;

        var error = Assert.Throws<DoSettingsException>(() => context.DoBuildImage(settings));

        Assert.Equal(setting, error.Setting);
    }
}
