using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packer;

/// <summary>Go durations, Packer's upload paths, and how a shell provisioner runs on a session.</summary>
public sealed class PackerPrimitivesTests
{
    [Theory]
    [InlineData("6m", 360)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("90s", 90)]
    [InlineData("2m30s", 150)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0)]
    public void Go_durations_parse_as_Packer_reads_them(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("6 m")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("5d")]
    [InlineData("")]
    public void Other_durations_are_not_go_durations(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("/src/files/etc", true, true, "/etc/", "/etc")]                    // files/etc/ -> /etc/: the contents
    [InlineData("/src/files/etc", true, false, "/etc/", "/etc/etc")]               // files/etc  -> /etc/: the folder itself
    [InlineData("/src/files/opt", true, false, "/", "/opt")]
    [InlineData("/src/files/app", true, true, "/opt/app", "/opt/app")]
    [InlineData("/src/motd.txt", false, false, "/etc/motd", "/etc/motd")]          // a file to a path
    [InlineData("/src/motd.txt", false, false, "/etc/", "/etc/motd.txt")]          // a file into a folder
    public void Uploads_follow_Packers_trailing_slash_rules(string local, bool isDirectory, bool trailingSlash, string destination, string expected)
    {
        var upload = FileProvisioner.Plan(local, isDirectory, trailingSlash, destination);

        Assert.Equal(expected, upload.RemotePath);
        Assert.Equal(isDirectory, upload.IsDirectory);
    }

    [Fact]
    public void Vars_are_sorted_single_quoted_and_carry_the_build_name_and_type()
    {
        var vars = ShellRun.Vars([new("b", "it's"), new("A", "1")], "digitalocean");

        Assert.Equal("A='1' PACKER_BUILDER_TYPE='digitalocean' PACKER_BUILD_NAME='digitalocean' b='it'\\''s' ", vars);
    }

    [Fact]
    public async Task A_shell_script_is_uploaded_run_through_execute_command_checked_against_valid_exit_codes_and_removed()
    {
        using var files = new PackerTemplateFiles();
        var json = PackerTemplateFiles.Minimal();
        json["provisioners"] = System.Text.Json.Nodes.JsonNode.Parse("""
            [ { "type": "shell", "inline": ["exit 3"], "execute_command": "sudo -E sh -c '{{ .Vars }}{{ .Path }}'",
                "environment_vars": ["APP={{user `app`}}"], "valid_exit_codes": [0, 3], "remote_folder": "/root", "remote_file": "step.sh" },
              { "type": "shell", "inline": ["exit 4"], "skip_clean": true } ]
            """);
        var template = files.Read(json);
        var session = new FakeSession().Reply("/root/step.sh'", string.Empty, exit: 3).Reply("/tmp/script_", string.Empty, exit: 4);
        var first = new ShellRun((ShellProvisioner)template.Provisioners[0].Provisioner, "digitalocean", template.Expressions, files.Log);
        var second = new ShellRun((ShellProvisioner)template.Provisioners[1].Provisioner, "digitalocean", template.Expressions, files.Log);

        await first.RunAsync(session, CancellationToken.None);
        var error = await Assert.ThrowsAsync<RemoteCommandException>(() => second.RunAsync(session, CancellationToken.None));

        Assert.Equal("#!/bin/sh -e\nexit 3\n", session.Files["/root/step.sh"].Content);
        Assert.Equal("755", Convert.ToString((int)session.Files["/root/step.sh"].Mode, 8));
        var commands = session.Commands.ToList();
        Assert.Equal("sudo -E sh -c 'APP='demo' PACKER_BUILDER_TYPE='digitalocean' PACKER_BUILD_NAME='digitalocean' /root/step.sh'", commands[0]);
        Assert.Equal("rm -f '/root/step.sh'", commands[1]);
        Assert.Equal(4, error.Result.ExitStatus);
        Assert.Matches(@"^chmod \+x /tmp/script_\d{4}\.sh; PACKER_BUILDER_TYPE='digitalocean' PACKER_BUILD_NAME='digitalocean'  /tmp/script_\d{4}\.sh$",
            commands[2]);
        Assert.Equal(3, commands.Count); // skip_clean: no rm (and none after a failure)
    }
}
