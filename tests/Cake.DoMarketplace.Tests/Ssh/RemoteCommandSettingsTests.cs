using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>The durations of <see cref="RemoteCommandSettings"/> are checked by the aliases before anything runs.</summary>
public sealed class RemoteCommandSettingsTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-remote-settings-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Theory]
    [InlineData(nameof(RemoteCommandSettings.Timeout), false)]
    [InlineData(nameof(RemoteCommandSettings.NoOutputNotice), false)]
    [InlineData(nameof(RemoteCommandSettings.Timeout), true)]
    [InlineData(nameof(RemoteCommandSettings.NoOutputNotice), true)]
    public void A_duration_that_is_not_positive_is_refused_naming_it_and_nothing_runs(string setting, bool script)
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);
        var session = new FakeSession();
        var droplet = new BuildDroplet(9, "build", "192.0.2.10", "nyc3", "debian-12-x64", "s-1vcpu-512mb-10gb", session);
        var settings = new RemoteCommandSettings();
        if (setting == nameof(RemoteCommandSettings.Timeout))
        {
            settings.Timeout = TimeSpan.Zero;
        }
        else
        {
            settings.NoOutputNotice = TimeSpan.FromSeconds(-1);
        }

        var error = Assert.Throws<DoSettingsException>(() => script ? context.DoRunRemoteScript(droplet, "./setup.sh", settings)
            : context.DoRunRemote(droplet, "true", settings));

        Assert.Equal($"RemoteCommandSettings.{setting}", error.Setting);
        Assert.Contains("must be a positive duration", error.Message);
        Assert.Empty(session.Commands);
    }

    [Fact]
    public void A_command_is_reported_after_a_minute_of_silence_unless_told_otherwise()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), new RemoteCommandSettings().NoOutputNotice);
    }
}
