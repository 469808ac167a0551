using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Cake.Core;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.LocalCloudLaunch;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.CakeServices;

/// <summary>
/// <c>DoStartLocalCloud</c>'s launcher starts and stops the local cloud through Cake's <see cref="IProcessRunner"/> and
/// reads its ready file through Cake's <see cref="IFileSystem"/>: both fakes here, so no process starts.
/// </summary>
public sealed class LocalCloudLauncherTests : IDisposable
{
    private const string Temp = "/fake/tmp";
    private static readonly LocalCloudCommand Command = new("dotnet", ["/tools/Cake.DoMarketplace.LocalCloud.dll"], "the test's tool");

    private readonly InMemoryFileSystem files = new();
    private readonly RecordingLog log = new();
    private readonly IProcessRunner runner = Substitute.For<IProcessRunner>();
    private readonly ConcurrentQueue<(string File, ProcessSettings Settings)> started = new();
    private readonly ManualResetEventSlim exited = new();
    private readonly ICakeEnvironment environment;

    public LocalCloudLauncherTests()
    {
        environment = TestCakeContext.Create(log, "/fake/work").Environment;
        environment.GetSpecialPath(SpecialPath.LocalTemp).Returns(new DirectoryPath(Temp));
        files.GetDirectory(Temp).Create();
    }

    public void Dispose() => exited.Dispose();

    [Fact]
    public async Task It_starts_the_tool_with_its_arguments_and_the_token_in_the_environment_then_stops_it_with_SIGINT()
    {
        var cloud = FakeCloud(process =>
        {
            process.When(p => p.WaitForExit()).Do(_ => exited.Wait());
            return (settings, _) =>
            {
                settings.RedirectedStandardOutputHandler("listening");
                var ready = Regex.Match(settings.Arguments.Render(), "--ready-file \"([^\"]+)\"").Groups[1].Value;
                files.Write(ready, """{"url":"http://127.0.0.1:40321/","dataDirectory":"/fake/work/.local-cloud","pid":4242}""");
            };
        });

        var handle = await Launcher().StartAsync(cloud, Settings(), "/fake/work/.local-cloud", CancellationToken.None);
        handle.Dispose();

        var (file, start) = started.First();
        Assert.Equal("dotnet", file);
        Assert.Matches(
            "^\"/tools/Cake.DoMarketplace.LocalCloud.dll\" --port 0 --data-dir \"/fake/work/.local-cloud\" "
            + $"--ready-file \"{Temp}/cake-domarketplace-local-cloud-[0-9a-f]{{32}}\\.json\" --exit-with-parent {Environment.ProcessId} "
            + "--address-range \"198.18.0.0/15\"$",
            start.Arguments.Render());
        Assert.StartsWith("local-", start.EnvironmentVariables["LOCAL_CLOUD_TOKEN"], StringComparison.Ordinal);
        Assert.DoesNotContain(handle.Token, start.Arguments.Render(), StringComparison.Ordinal);
        Assert.Equal(new Uri("http://127.0.0.1:40321/"), handle.Url);
        Assert.Contains("[local-cloud] listening", log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(files.Files, f => f.StartsWith(Temp, StringComparison.Ordinal)); // the ready file is removed
        var (kill, interrupt) = started.Last();
        Assert.Equal(("kill", "-s INT 4242"), (kill, interrupt.Arguments.Render()));
        Assert.Contains("Stopping the local cloud at http://127.0.0.1:40321/", log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_that_exits_before_it_is_ready_is_a_LocalCloudStartException_with_its_last_lines()
    {
        var cloud = FakeCloud(process =>
        {
            process.GetExitCode().Returns(3);
            return (settings, _) =>
            {
                settings.RedirectedStandardOutputHandler("checking prerequisites");
                settings.RedirectedStandardErrorHandler("systemd-nspawn is missing: apt-get install systemd-container");
                settings.RedirectedStandardOutputHandler(null!); // as Cake's runner does at the end of each stream
                settings.RedirectedStandardErrorHandler(null!);
            };
        });

        var error = await Assert.ThrowsAsync<LocalCloudStartException>(
            () => Launcher().StartAsync(cloud, Settings(), "/fake/work/.local-cloud", CancellationToken.None));

        Assert.Equal(
            "The local cloud exited with code 3 before it was ready; its last lines say why:\n"
            + "checking prerequisites\nsystemd-nspawn is missing: apt-get install systemd-container",
            error.Message);
        Assert.Equal("checking prerequisites\nsystemd-nspawn is missing: apt-get install systemd-container", error.Output);
        Assert.Single(started); // no kill: it had ended
    }

    [Fact]
    public async Task DigitalOceanPaceFactor_starts_the_tool_at_DigitalOceans_pace_scaled_by_it()
    {
        var cloud = FakeCloud(process =>
        {
            process.When(p => p.WaitForExit()).Do(_ => exited.Wait());
            return (settings, _) =>
            {
                var ready = Regex.Match(settings.Arguments.Render(), "--ready-file \"([^\"]+)\"").Groups[1].Value;
                files.Write(ready, """{"url":"http://127.0.0.1:40321/","dataDirectory":"/fake/work/.local-cloud","pid":4242}""");
            };
        });
        var paced = Settings();
        paced.DigitalOceanPaceFactor = 0.05;

        (await Launcher().StartAsync(cloud, paced, "/fake/work/.local-cloud", CancellationToken.None)).Dispose();

        Assert.EndsWith(" --pace digitalocean --pace-factor 0.05", started.First().Settings.Arguments.Render(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_DigitalOceanPaceFactor_that_is_no_positive_number_is_refused_naming_the_setting_before_anything_starts(double factor)
    {
        var context = TestCakeContext.Create(log, "/fake/work");

        var error = Assert.Throws<DoSettingsException>(() => context.DoStartLocalCloud(s => s.DigitalOceanPaceFactor = factor));

        Assert.Equal("LocalCloudSettings.DigitalOceanPaceFactor", error.Setting);
        Assert.Contains("set a number above 0", error.Message, StringComparison.Ordinal);
        Assert.Empty(started);
    }

    private static LocalCloudSettings Settings() => new() { AddressRange = "198.18.0.0/15", SetEnvironment = false };

    private LocalCloudLauncher Launcher() => new(log, files, environment, runner);

    /// <summary>The runner starts <paramref name="configure"/>'s process for the tool and a finished one for <c>kill</c>.</summary>
    private LocalCloudCommand FakeCloud(Func<IProcess, Action<ProcessSettings, IProcess>> configure)
    {
        var cloud = Substitute.For<IProcess>();
        var onStart = configure(cloud);
        cloud.When(p => p.Kill()).Do(_ => exited.Set());
        runner.Start(Arg.Any<FilePath>(), Arg.Any<ProcessSettings>()).Returns(call =>
        {
            var (file, settings) = (call.Arg<FilePath>().FullPath, call.Arg<ProcessSettings>());
            started.Enqueue((file, settings));
            if (file == "kill")
            {
                exited.Set();
                return Substitute.For<IProcess>();
            }

            onStart(settings, cloud);
            return cloud;
        });
        return Command;
    }
}
