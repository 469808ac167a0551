using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>DoBuildImage: bad input refused before anything exists; a failing step leaves nothing behind and a summary.</summary>
[Trait("Category", "Integration")]
public sealed class BuildImagePipelineTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-pipeline-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    private (Cake.Core.ICakeContext Context, RecordingLog Log) Context()
    {
        var log = new RecordingLog();
        return (cloud.Context(log, work), log);
    }

    [Theory]
    [InlineData("ScriptsDirectory", "does not exist")]
    [InlineData("PerInstanceScripts", "numeric order prefix")]
    [InlineData("FirstLoginScript", "Company")]
    [InlineData("MotdName", "plain name")]
    [InlineData("ScriptTimeout", "must be a positive duration")]
    public void Bad_input_is_refused_before_any_droplet_exists(string setting, string expected)
    {
        var (context, _) = Context();
        File.WriteAllText(Path.Combine(work, "setup.sh"), "#!/bin/sh\necho hi\n");
        var settings = new MarketplaceImageSettings();
        switch (setting)
        {
            case "ScriptsDirectory": settings.ScriptsDirectory = "./no-such-folder"; break;
            case "PerInstanceScripts": settings.PerInstanceScripts.Add("./setup.sh"); break;
            case "FirstLoginScript": settings.FirstLoginScript = "./setup.sh"; break;
            case "MotdName": settings.MotdName = "my/app"; settings.MotdText = "hi"; break;
            case "ScriptTimeout": settings.ScriptTimeout = TimeSpan.Zero; break;
        }

        var error = Assert.Throws<DoSettingsException>(() => context.DoBuildImage(settings));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("MarketplaceImageSettings.", error.Setting);
        Assert.Empty(cloud.Leftovers());
        Assert.False(Directory.Exists(Path.Combine(cloud.DataDirectory, "droplets"))
            && Directory.EnumerateDirectories(Path.Combine(cloud.DataDirectory, "droplets")).Any());
    }

    [Fact]
    public void A_failing_build_script_destroys_the_droplet_and_ends_with_the_summary()
    {
        var (context, log) = Context();
        var scripts = Directory.CreateDirectory(Path.Combine(work, "scripts")).FullName;
        File.WriteAllText(Path.Combine(scripts, "10-ok.sh"), "#!/bin/sh\necho fine\n");
        File.WriteAllText(Path.Combine(scripts, "20-broken.sh"), "#!/bin/sh\necho about to fail >&2\nexit 7\n");

        var error = Assert.Throws<RemoteCommandException>(() => context.DoBuildImage(s =>
        {
            s.Droplet.Name = "pipeline-failure";
            s.ScriptsDirectory = "./scripts";
            s.UpdatePackages = false;
        }));

        Assert.Equal(7, error.Result.ExitStatus);
        Assert.Contains("Run 20-broken.sh", log.AllText);
        Assert.Matches(@"Run 20-broken\.sh\s+\S+\s+FAILED: Remote command on pipeline-failure exited with status 7", log.AllText);
        Assert.Contains("Deleted droplet", log.AllText);
        Assert.Contains("Deleted temporary SSH key", log.AllText);
        Assert.Empty(cloud.Leftovers());
    }

    [Fact]
    public void A_script_past_ScriptTimeout_is_stopped_and_the_build_fails_naming_the_setting()
    {
        var (context, log) = Context();
        var scripts = Directory.CreateDirectory(Path.Combine(work, "scripts")).FullName;
        File.WriteAllText(Path.Combine(scripts, "10-waits.sh"), "#!/bin/sh\necho waiting for something\nsleep 600\n");

        var error = Assert.Throws<WaitTimeoutException>(() => context.DoBuildImage(s =>
        {
            s.Droplet.Name = "script-timeout";
            s.ScriptsDirectory = "./scripts";
            s.UpdatePackages = false;
            s.ScriptTimeout = TimeSpan.FromSeconds(3);
        }));

        Assert.Equal("MarketplaceImageSettings.ScriptTimeout", error.Setting);
        Assert.StartsWith("Timed out after 3.0s waiting for remote command on script-timeout: 10-waits.sh; last state seen: ", error.Message);
        Assert.Contains("[script-timeout] waiting for something", log.AllText);
        Assert.Contains("Deleted droplet", log.AllText);
        Assert.Empty(cloud.Leftovers());
    }

    [Fact]
    public void A_failing_package_install_shows_apts_error_and_the_steps_last_output_lines_next_to_the_failure()
    {
        var (context, log) = Context();

        var error = Assert.Throws<RemoteCommandException>(() => context.DoBuildImage(s =>
        {
            s.Droplet.Name = "pipeline-packages";
            s.UpdatePackages = false;
            s.Packages.Add("cdm-no-such-package");
        }));

        Assert.Equal(100, error.Result.ExitStatus);
        Assert.Contains("E: Unable to locate package cdm-no-such-package", error.Message);
        var lines = log.Lines.Select(l => l.Text).ToList();
        var failed = lines.FindIndex(l => l.StartsWith("<== [4/", StringComparison.Ordinal)
            && l.Contains("Install packages (cdm-no-such-package): FAILED: Remote command on pipeline-packages exited with status 100",
            StringComparison.Ordinal));
        Assert.True(failed > 0, log.AllText);
        Assert.Matches(@"^    last [0-9]+ line\(s\) of its output:$", lines[failed + 1]);
        Assert.Contains(lines.Skip(failed + 2), l => l == "    [pipeline-packages:err] E: Unable to locate package cdm-no-such-package");
        Assert.Contains("Deleted droplet", log.AllText);
        Assert.Empty(cloud.Leftovers());
    }

    [Fact]
    public void A_build_runs_the_provision_hook_keeps_the_callers_settings_as_they_were_and_a_later_failure_deletes_the_snapshot()
    {
        var (context, log) = Context();
        File.WriteAllText(Path.Combine(work, "01-mark.sh"), "#!/bin/sh\necho instance >> /root/marks\n");
        var settings = new MarketplaceImageSettings { UpdatePackages = false };
        settings.Droplet.Name = "pipeline-provision";
        settings.PerInstanceScripts.Add("./01-mark.sh");
        settings.Cleanup.UpdatePackages = false;
        settings.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
        settings.Validation.RefreshPackageIndex = false;
        settings.Snapshot.Name = "pipeline-provision-image";
        settings.Test.Reboot = false;
        settings.Test.ReportDirectory = null;
        settings.Test.Services.Add("no-such-service"); // the image test fails: the snapshot made before it must go
        string? provisioned = null;
        settings.Provision = droplet
            => provisioned = context.DoRunRemote(droplet, "hostname", new RemoteCommandSettings { LogOutput = false }).StandardOutput.Trim();

        Assert.Throws<ImageValidationException>(() => context.DoBuildImage(settings));

        Assert.Equal("pipeline-provision", provisioned);
        Assert.Matches(@"Provision \(MarketplaceImageSettings\.Provision\)\s+\S+\s+ok", log.AllText);
        Assert.True(Assert.Single(settings.PerInstanceScripts).IsRelative, "the plan's absolute path was written back into the settings");
        Assert.False(settings.Snapshot.DestroyDroplet);
        Assert.Null(settings.Test.Token);
        Assert.Null(settings.Test.Region);
        Assert.Null(settings.Test.BuildHostKeyFingerprint);
        Assert.Contains("a later step failed", log.AllText);
        Assert.Empty(cloud.Leftovers());
    }
}
