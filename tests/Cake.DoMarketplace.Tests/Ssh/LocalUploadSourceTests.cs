using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// The local side of an upload: a file that vanished, a link whose target is gone, a read that fails half way, all end in
/// <see cref="LocalFileUnreadableException"/> naming the path; never in the file system's own type, and never in an
/// <see cref="IOException"/> the SSH classifier would take for a lost connection.
/// </summary>
public sealed class LocalUploadSourceTests
{
    [Fact]
    public void A_file_deleted_after_the_listing_fails_named_when_it_is_opened()
    {
        using var tree = new UploadTree();
        var doomed = tree.File("site/index.html", "<h1>hi</h1>");
        var entries = LocalUploadSource.Entries("web", new DirectoryInfo(tree.Root));
        File.Delete(doomed);

        var error = Assert.Throws<LocalFileUnreadableException>(() => LocalUploadSource.OpenRead("web", entries.Single(e => e.Name == "index.html").FullName));

        Assert.Equal(doomed, error.LocalPath);
        Assert.IsType<FileNotFoundException>(error.InnerException);
        Assert.StartsWith($"The upload to web could not read the local {doomed}: ", error.Message);
        Assert.False(SshFailure.IsConnectionLost(error));
    }

    [Fact]
    public void A_link_whose_target_is_gone_is_listed_and_fails_named_when_opened()
    {
        using var tree = new UploadTree();
        var link = Path.Combine(tree.Root, "current");
        File.CreateSymbolicLink(link, Path.Combine(tree.Root, "release-that-was-removed"));

        var entries = LocalUploadSource.Entries("web", new DirectoryInfo(tree.Root));

        Assert.Contains(entries, e => e.FullName == link);
        Assert.Equal(link, Assert.Throws<LocalFileUnreadableException>(() => LocalUploadSource.OpenRead("web", link)).LocalPath);
    }

    [Fact]
    public void A_folder_gone_before_the_listing_fails_named()
    {
        using var tree = new UploadTree();
        var gone = new DirectoryInfo(Path.Combine(tree.Root, "gone"));

        var error = Assert.Throws<LocalFileUnreadableException>(() => LocalUploadSource.Entries("web", gone));

        Assert.Equal(gone.FullName, error.LocalPath);
        Assert.IsType<DirectoryNotFoundException>(error.InnerException);
    }

    [Fact]
    public async Task A_read_that_fails_half_way_is_named_and_leaves_the_owners_stream_open()
    {
        await using var failing = new FailingAfterStream(Enumerable.Repeat((byte)'x', 100).ToArray());
        await using var guarded = LocalUploadSource.Guard("web", "/srv/big.tar", failing);
        using var sink = new MemoryStream();

        var error = await Assert.ThrowsAsync<LocalFileUnreadableException>(() => guarded.CopyToAsync(sink));

        Assert.Equal("/srv/big.tar", error.LocalPath);
        Assert.Equal("Input/output error", error.InnerException!.Message);
        Assert.Equal(100, sink.Length);
        await guarded.DisposeAsync();
        Assert.False(failing.Disposed);
    }

    [Fact]
    public void A_cancelled_read_stays_a_cancellation()
    {
        using var tree = new UploadTree();
        using var stream = LocalUploadSource.OpenRead("web", tree.File("a", "abc"));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => stream.ReadAsync(new byte[3], cancelled.Token).AsTask().GetAwaiter().GetResult());
    }

    /// <summary>Gives its content, then fails the next read as a disk or network file system does.</summary>
    private sealed class FailingAfterStream(byte[] content) : MemoryStream(content)
    {
        public bool Disposed { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("Input/output error");

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
