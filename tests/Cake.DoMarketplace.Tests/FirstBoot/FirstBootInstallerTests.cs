using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.FirstBoot;

public sealed class FirstBootInstallerTests : IDisposable
{
    private static readonly UnixFileMode Executable = (UnixFileMode)Convert.ToInt32("755", 8);
    private readonly string folder = Directory.CreateTempSubdirectory("cdm-scripts-").FullName;
    private readonly FakeSession session = new() { Label = "b" };
    private readonly RecordingLog log = new();

    public void Dispose() => Directory.Delete(folder, true);

    private FirstBootInstaller Installer() => new(session, new Cake.Core.IO.FileSystem(), log);

    private string Script(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [InlineData(nameof(FirstBootStage.PerOnce), "/var/lib/cloud/scripts/per-once/01-setup.sh")]
    [InlineData(nameof(FirstBootStage.PerInstance), "/var/lib/cloud/scripts/per-instance/01-setup.sh")]
    [InlineData(nameof(FirstBootStage.PerBoot), "/var/lib/cloud/scripts/per-boot/01-setup.sh")]
    public async Task Installs_stage_scripts_executable_in_cloud_init_folders(string stage, string expected)
    {
        var installed = await Installer().InstallStageScriptAsync(Script("01-setup.sh", "#!/bin/sh\necho hi\n"),
            Enum.Parse<FirstBootStage>(stage),
            new FirstBootScriptSettings(), CancellationToken.None);

        Assert.Equal(expected, installed);
        Assert.Equal(("#!/bin/sh\necho hi\n", Executable), session.Files[expected]);
    }

    [Fact]
    public async Task Converts_crlf_and_says_so_or_rejects_it_when_asked()
    {
        var path = Script("02-web.sh", "#!/bin/bash\r\necho a\r\necho b\r\n");
        var installer = Installer();

        await installer.InstallStageScriptAsync(path, FirstBootStage.PerInstance, new FirstBootScriptSettings(), CancellationToken.None);
        Assert.Equal("#!/bin/bash\necho a\necho b\n", session.Files["/var/lib/cloud/scripts/per-instance/02-web.sh"].Content);
        Assert.Contains("converted 3 CRLF", log.AllText);

        var error = await Assert.ThrowsAsync<DoSettingsException>(() =>
            installer.InstallStageScriptAsync(path, FirstBootStage.PerInstance, new FirstBootScriptSettings { LineEndings = LineEndingHandling.Reject },
                CancellationToken.None));
        Assert.Contains("CRLF", error.Message);
    }

    [Theory]
    [InlineData("setup.sh", "numeric order prefix")]
    [InlineData("../01-evil.sh", "not a path")]
    [InlineData("01 setup.sh", "numeric order prefix")]
    public void Script_names_need_an_order_prefix_and_no_path(string name, string expected)
    {
        var error = Assert.Throws<DoSettingsException>(() => FirstBootInstaller.CheckStageScriptName(name, "FirstBootScriptSettings.Name"));
        Assert.Contains(expected, error.Message);
        Assert.Equal("FirstBootScriptSettings.Name", error.Setting);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("echo no shebang\n", "shebang")]
    public async Task Empty_scripts_and_scripts_without_shebang_are_refused(string content, string expected)
    {
        var error = await Assert.ThrowsAsync<DoSettingsException>(() => Installer()
            .InstallStageScriptAsync(Script("01-x.sh", content), FirstBootStage.PerOnce, new FirstBootScriptSettings(), CancellationToken.None));
        Assert.Contains(expected, error.Message);
        Assert.Empty(session.Files);
    }

    [Fact]
    public async Task A_missing_script_file_is_named()
    {
        var error = await Assert.ThrowsAsync<DoSettingsException>(() => Installer()
            .InstallStageScriptAsync(Path.Combine(folder, "01-gone.sh"), FirstBootStage.PerOnce, new FirstBootScriptSettings(), CancellationToken.None));
        Assert.Contains("01-gone.sh' does not exist", error.Message);
    }

    [Fact]
    public async Task First_login_script_ends_by_restoring_bashrc_and_is_hooked_into_root_bashrc()
    {
        var installed = await Installer().InstallFirstLoginScriptAsync(
            Script("setup.sh", "#!/bin/bash\necho configure\n"), new FirstLoginScriptSettings { Company = "acme" }, CancellationToken.None);

        Assert.Equal("/opt/acme/setup.sh", installed);
        var (content, mode) = session.Files[installed];
        Assert.EndsWith("cp -f /etc/skel/.bashrc /root/.bashrc\n", content);
        Assert.Equal(Executable, mode);
        Assert.Contains(session.Commands, c => c.Contains(">> /root/.bashrc") && c.Contains("HOOK='case $- in *i*) /opt/acme/setup.sh ;; esac'"));
    }

    [Fact]
    public async Task First_login_needs_a_company_folder()
    {
        var error = await Assert.ThrowsAsync<DoSettingsException>(() => Installer().InstallFirstLoginScriptAsync(
            Script("setup.sh", "#!/bin/bash\n"), new FirstLoginScriptSettings(), CancellationToken.None));
        Assert.Equal("FirstLoginScriptSettings.Company", error.Setting);
    }

    [Fact]
    public async Task Motd_is_an_executable_update_motd_script_that_prints_the_text_verbatim()
    {
        var path = await Installer().SetMotdAsync("myapp", "Welcome $USER `id`\nMOTD_END\n", CancellationToken.None);

        Assert.Equal("/etc/update-motd.d/99-myapp", path);
        var (content, mode) = session.Files[path];
        Assert.StartsWith("#!/bin/sh\ncat <<'MOTD_END_'\n", content);
        Assert.Equal(Executable, mode);
        Assert.Throws<DoSettingsException>(() => FirstBootInstaller.CheckPlainName("a/b", "MOTD name", "myapp"));
    }
}
