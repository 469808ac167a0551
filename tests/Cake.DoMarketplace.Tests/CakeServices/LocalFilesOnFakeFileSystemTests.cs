using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.CakeServices;

/// <summary>
/// The domain classes read and write local files through Cake's <see cref="IFileSystem"/> and resolve relative settings
/// against Cake's working directory: here both are fakes, and nothing of this exists on the disk.
/// </summary>
public sealed class LocalFilesOnFakeFileSystemTests
{
    private const string Work = "/fake/work";
    private readonly InMemoryFileSystem files = new();
    private readonly RecordingLog log = new();

    [Fact]
    public void The_packer_template_reader_reads_the_template_and_the_files_it_names_from_the_file_system()
    {
        files.Write($"{Work}/template.json", """
            {
              "builders": [ { "type": "digitalocean", "api_token": "dop_v1_fake", "image": "debian-12-x64", "region": "nyc3",
                              "size": "s-1vcpu-1gb", "user_data_file": "cloud-config.yaml" } ],
              "provisioners": [ { "type": "shell", "script": "scripts/setup.sh" },
                                { "type": "file", "source": "files/app.conf", "destination": "/etc/app.conf" } ]
            }
            """);
        files.Write($"{Work}/cloud-config.yaml", "#cloud-config\nruncmd: [true]\n");
        files.Write($"{Work}/scripts/setup.sh", "#!/bin/sh\r\necho set up\r\n");
        files.Write($"{Work}/files/app.conf", "port=80\n");

        var template = new PackerTemplateReader(files, "template.json", $"{Work}/template.json", Work, new Dictionary<string, string>(), _ => null)
            .Read(DateTime.UnixEpoch, [], []).Single();

        Assert.Equal("#cloud-config\nruncmd: [true]\n", template.Builder.UserData);
        var shell = (ShellProvisioner)template.Provisioners[0].Provisioner;
        Assert.Equal("#!/bin/sh\necho set up\n", Assert.Single(shell.Scripts).Content);
        var upload = Assert.Single(((FileProvisioner)template.Provisioners[1].Provisioner).Uploads);
        Assert.Equal(($"{Work}/files/app.conf", false, "/etc/app.conf"), (upload.LocalPath, upload.IsDirectory, upload.RemotePath));
        Assert.Equal([$"{Work}/template.json", $"{Work}/cloud-config.yaml", $"{Work}/scripts/setup.sh"], files.Reads);
    }

    [Fact]
    public void A_template_or_a_script_missing_from_the_file_system_is_named()
    {
        files.Write($"{Work}/template.json", """
            { "builders": [ { "type": "digitalocean", "api_token": "t", "image": "debian-12-x64", "region": "nyc3", "size": "s-1vcpu-1gb" } ],
              "provisioners": [ { "type": "shell", "script": "gone.sh" } ] }
            """);
        PackerTemplate Read(string name) =>
            new PackerTemplateReader(files, name, $"{Work}/{name}", Work, new Dictionary<string, string>(), _ => null)
                .Read(DateTime.UnixEpoch, [], []).Single();

        var noTemplate = Assert.Throws<DoSettingsException>(() => Read("other.json"));
        var noScript = Assert.Throws<DoSettingsException>(() => Read("template.json"));

        Assert.Equal("other.json: the Packer template '/fake/work/other.json' does not exist.", noTemplate.Message);
        Assert.Contains("provisioners[0].script", noScript.Message);
        Assert.Contains("names '/fake/work/gone.sh', which does not exist", noScript.Message);
    }

    [Fact]
    public void A_relative_packer_working_directory_starts_at_the_scripts_working_directory()
    {
        files.Write($"{Work}/packer/template.json", """
            { "builders": [ { "type": "digitalocean", "api_token": "t", "image": "debian-12-x64", "region": "nyc3", "size": "s-1vcpu-1gb" } ],
              "provisioners": [ { "type": "shell", "script": "setup.sh" } ] }
            """);
        files.Write($"{Work}/build/setup.sh", "#!/bin/sh\necho from build\n");
        var environment = TestCakeContext.Create(log, Work).Environment;

        var template = new PackerImageBuild(files, environment, log).Read(
            "packer/template.json", $"{Work}/packer/template.json", new PackerTemplateSettings { WorkingDirectory = "./build" }, DateTime.UnixEpoch);

        Assert.Contains("echo from build", ((ShellProvisioner)template.Provisioners[0].Provisioner).Scripts[0].Content);
    }

    [Fact]
    public void ScriptText_reads_a_script_from_the_file_system_and_names_a_missing_one()
    {
        files.Write($"{Work}/01-setup.sh", "\uFEFF#!/bin/bash\r\necho hi\r\n");

        var script = ScriptText.Load(files, $"{Work}/01-setup.sh", LineEndingHandling.Convert, "PerInstanceScripts");
        var rejected = Assert.Throws<DoSettingsException>(() => ScriptText.Load(files, $"{Work}/01-setup.sh", LineEndingHandling.Reject, "script"));
        var missing = Assert.Throws<DoSettingsException>(() => ScriptText.Load(files, $"{Work}/02-gone.sh", LineEndingHandling.Convert, "script"));

        Assert.Equal(("#!/bin/bash\necho hi\n", 2), (script.Content, script.ConvertedLineEndings));
        Assert.Contains("has Windows line endings (CRLF) on 2 line(s)", rejected.Message);
        Assert.Equal(
            "script: script file '/fake/work/02-gone.sh' does not exist. Check the path (relative paths start at the build.cake folder).",
            missing.Message);
    }

    [Fact]
    public void The_validation_report_writer_makes_the_folder_and_writes_three_reports()
    {
        var report = new ValidationReport("build", "Debian 12", DateTimeOffset.UnixEpoch,
            [new ValidationCheck(1, "Firewall", CheckLevel.Fail, "No firewall is active.", [])]);

        var written = ValidationReportWriter.WriteAll(report, new ReportFolder(files, $"{Work}/artifacts/image-validation"), "build-validation");

        string[] expected = [$"{Work}/artifacts/image-validation/build-validation.md", $"{Work}/artifacts/image-validation/build-validation.json",
            $"{Work}/artifacts/image-validation/build-validation.junit.xml"];
        Assert.Equal(expected, written);
        Assert.Equal(expected.Order(StringComparer.Ordinal), files.Files.Order(StringComparer.Ordinal));
        Assert.Contains($"{Work}/artifacts/image-validation", files.Folders);
        Assert.Equal(ValidationReportWriter.ToMarkdown(report), files.Text(expected[0]));
        Assert.Contains("No firewall is active.", files.Text(expected[2]));
    }

    [Fact]
    public void Relative_paths_of_DoBuildImage_start_at_the_working_directory_and_are_read_from_the_file_system()
    {
        files.Write($"{Work}/scripts/20-second.sh", "#!/bin/sh\necho 2\n");
        files.Write($"{Work}/scripts/10-first.sh", "#!/bin/sh\necho 1\n");
        files.Write($"{Work}/scripts/notes.txt", "not a script");
        files.Write($"{Work}/first-boot/01-init.sh", "#!/bin/sh\necho boot\n");
        files.Write($"{Work}/files/etc/app.conf", "port=80\n");
        var settings = new MarketplaceImageSettings { ScriptsDirectory = "./scripts", FilesDirectory = "files", UpdatePackages = false, TestImage = false };
        settings.PerInstanceScripts.Add("./first-boot/01-init.sh");
        settings.Validation.ReportDirectory = "artifacts/image-validation";
        settings.Droplet.Token = "dop_v1_" + new string('a', 64);
        var environment = TestCakeContext.Create(log, Work).Environment;

        var plan = ImageBuildPlan.Resolve(settings, files, environment);

        Assert.Equal([$"{Work}/scripts/10-first.sh", $"{Work}/scripts/20-second.sh"], plan.Scripts);
        Assert.Equal($"{Work}/first-boot/01-init.sh", Assert.Single(plan.FirstBootScripts).Path);
        Assert.Equal($"{Work}/files", plan.FilesDirectory);
        Assert.Equal($"{Work}/artifacts/image-validation", plan.ValidationReports);
        Assert.Equal([$"{Work}/scripts/10-first.sh", $"{Work}/scripts/20-second.sh", $"{Work}/first-boot/01-init.sh"], files.Reads);
    }

    [Fact]
    public void A_missing_scripts_folder_of_DoBuildImage_is_named_with_its_absolute_path()
    {
        var settings = new MarketplaceImageSettings { ScriptsDirectory = "./scripts" };
        settings.Droplet.Token = "dop_v1_" + new string('a', 64);

        var error = Assert.Throws<DoSettingsException>(() => ImageBuildPlan.Resolve(settings, files, TestCakeContext.Create(log, Work).Environment));

        Assert.Equal("MarketplaceImageSettings.ScriptsDirectory: folder '/fake/work/scripts' does not exist.", error.Message);
    }

    [Fact]
    public void A_build_lease_lives_in_the_temporary_folder_of_Cakes_environment_while_it_is_held()
    {
        var environment = TestCakeContext.Create(log, Work).Environment;
        environment.GetSpecialPath(Cake.Core.IO.SpecialPath.LocalTemp).Returns(new DirectoryPath("/fake/tmp"));
        var leases = BuildLeases.For(files, environment);

        var lease = leases.Take("b1234");
        var held = files.Files.ToList();
        lease.Dispose();

        Assert.Equal(["/fake/tmp/cake-domarketplace-builds/b1234.lock"], held);
        Assert.Contains("/fake/tmp/cake-domarketplace-builds", files.Folders);
        Assert.Empty(files.Files);
    }
}
