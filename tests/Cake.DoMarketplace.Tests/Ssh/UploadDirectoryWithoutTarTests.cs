using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>A droplet without tar: folder uploads fall back to SFTP, file by file, with the same result.</summary>
[Trait("Category", "Integration")]
public sealed class UploadDirectoryWithoutTarTests(SshdWithoutTarFixture fixture) : IClassFixture<SshdWithoutTarFixture>
{
    [Fact]
    public async Task Without_tar_the_upload_goes_over_SFTP_and_keeps_modes_names_and_empty_folders()
    {
        using var tree = new UploadTree();
        tree.File("bin/su-helper", "#!/bin/sh\n", "4755");
        tree.File("it's ü/file \"q\".txt", "q");
        tree.Folder("private", "700");
        tree.Folder("empty", "750");
        var log = new RecordingLog();
        using var session = await SshRemoteSession.ConnectAsync(fixture.Sshd.Options("no-tar"), log);
        var missing = await session.RunAsync("command -v tar", new RemoteCommandSettings { AllowNonZeroExit = true, LogOutput = false });
        Assert.NotEqual(0, missing.ExitStatus); // the fixture really hides tar
        var remote = Path.Combine(fixture.Sshd.WorkFolder, "tree-" + Guid.NewGuid().ToString("N")[..8]);

        var summary = await session.UploadDirectoryAsync(tree.Root, remote);

        Assert.Equal(new UploadSummary(2, 5, 11), summary);
        Assert.Contains("[no-tar] no GNU tar on the droplet; folder uploads go file by file over SFTP", log.AllText);
        Assert.Equal("4755", UploadTree.ModeOf(Path.Combine(remote, "bin/su-helper")));
        Assert.Equal("q", File.ReadAllText(Path.Combine(remote, "it's ü/file \"q\".txt")));
        Assert.Equal("700", UploadTree.ModeOf(Path.Combine(remote, "private")));
        Assert.Equal("750", UploadTree.ModeOf(Path.Combine(remote, "empty")));
    }
}
