namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// A read-only view of a local file being uploaded whose read failures are <see cref="LocalFileUnreadableException"/>
/// (see <see cref="LocalUploadSource"/>). Disposing it disposes the file unless <paramref name="leaveOpen"/>.
/// </summary>
internal sealed class LocalReadStream(string label, string path, Stream inner, bool leaveOpen = false) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => Guarded(() => inner.Length);

    public override long Position
    {
        get => Guarded(() => inner.Position);
        set => Guarded(() => inner.Position = value);
    }

    public override int Read(byte[] buffer, int offset, int count) => Guarded(() => inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception e) when (LocalUploadSource.IsReadFailure(e))
        {
            throw new LocalFileUnreadableException(label, path, e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (LocalUploadSource.IsReadFailure(e))
        {
            throw new LocalFileUnreadableException(label, path, e);
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => Guarded(() => inner.Seek(offset, origin));

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!leaveOpen)
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private T Guarded<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (LocalUploadSource.IsReadFailure(e))
        {
            throw new LocalFileUnreadableException(label, path, e);
        }
    }
}
