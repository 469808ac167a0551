using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// Uploads over a real sshd whose local side fails: a link whose target is gone (what a file deleted during the upload
/// leaves) on the SFTP path, a stream that fails half way. The error is <see cref="LocalFileUnreadableException"/> naming
/// the local path, and the session goes on working. (The tar path's broken link: <see cref="UploadDirectoryTests"/>.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class LocalFileUnreadableUploadTests(SshdFixture sshd, SshdWithoutTarFixture withoutTar)
    : IClassFixture<SshdFixture>, IClassFixture<SshdWithoutTarFixture>
{
    [Fact]
    public async Task Over_SFTP_a_vanished_file_is_named_and_not_taken_for_a_lost_connection()
    {
        using var tree = new UploadTree();
        tree.File("a/index.html", "<h1>hi</h1>");
        var vanished = Path.Combine(tree.Root, "b-current");
        File.CreateSymbolicLink(vanished, Path.Combine(tree.Root, "release-deleted-during-the-upload"));
        using var session = await SshRemoteSession.ConnectAsync(withoutTar.Sshd.Options("sftp"), new RecordingLog());
        var remote = Path.Combine(withoutTar.Sshd.WorkFolder, "sftp-" + Guid.NewGuid().ToString("N")[..8]);

        var error = await Assert.ThrowsAsync<LocalFileUnreadableException>(() => session.UploadDirectoryAsync(tree.Root, remote));

        Assert.Equal(vanished, error.LocalPath);
        Assert.IsType<FileNotFoundException>(error.InnerException);
        Assert.Equal("<h1>hi</h1>", File.ReadAllText(Path.Combine(remote, "a/index.html")));
        Assert.Equal(0, (await session.RunAsync("true", new RemoteCommandSettings { LogOutput = false })).ExitStatus);
    }

    [Fact]
    public async Task A_single_file_whose_read_fails_half_way_is_named_and_the_session_goes_on()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("one-file"), new RecordingLog());
        var remote = Path.Combine(sshd.WorkFolder, "half-" + Guid.NewGuid().ToString("N")[..8]);
        await using var content = new FailingFileStream(Path.GetTempFileName());

        var error = await Assert.ThrowsAsync<LocalFileUnreadableException>(() => session.UploadAsync(content, remote, UploadTree.Mode("644")));

        Assert.Equal(content.Name, error.LocalPath);
        Assert.Equal(0, (await session.RunAsync("true", new RemoteCommandSettings { LogOutput = false })).ExitStatus);
    }

    /// <summary>A local file whose second read fails as a failing disk or a network file system does.</summary>
    private sealed class FailingFileStream(string path) : FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose)
    {
        private int reads;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (++reads > 1)
            {
                throw new IOException("Input/output error");
            }

            buffer.Span[0] = (byte)'x';
            await Task.Yield();
            return 1;
        }
    }
}
