using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packer;

/// <summary>Runs a <see cref="FileProvisioner"/>: SFTP uploads keeping the local modes, or the inline content (mode 0644).</summary>
internal sealed class FileRun(FileProvisioner file, IFileSystem localFiles, ICakeLog log)
{
    private static readonly UnixFileMode Readable = (UnixFileMode)Convert.ToInt32("644", 8);

    public async Task<string?> RunAsync(IRemoteSession session, CancellationToken cancellationToken)
    {
        if (file.Content is { } content)
        {
            await session.WriteTextAsync(file.Destination, content, Readable, cancellationToken).ConfigureAwait(false);
            return $"{content.Length} characters";
        }

        int files = 0;
        long bytes = 0;
        foreach (var upload in file.Uploads)
        {
            if (upload.IsDirectory)
            {
                var summary = await session.UploadDirectoryAsync(upload.LocalPath, upload.RemotePath, cancellationToken).ConfigureAwait(false);
                log.Info($"[{session.Label}] uploaded {upload.LocalPath} to {upload.RemotePath}: {summary.Files} file(s), {summary.Bytes} bytes");
                files += summary.Files;
                bytes += summary.Bytes;
                continue;
            }

            var local = localFiles.GetFile(upload.LocalPath);
            await using var stream = local.OpenRead();
            var mode = (OperatingSystem.IsWindows() ? null : local.UnixFileMode) ?? Readable;
            await session.UploadAsync(stream, upload.RemotePath, mode, cancellationToken).ConfigureAwait(false);
            log.Info($"[{session.Label}] uploaded {upload.LocalPath} to {upload.RemotePath}: {stream.Length} bytes");
            files++;
            bytes += stream.Length;
        }

        return $"{files} file(s), {bytes} bytes";
    }
}
