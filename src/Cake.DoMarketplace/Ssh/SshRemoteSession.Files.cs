using Cake.DoMarketplace.Diagnostics;
using Renci.SshNet;

namespace Cake.DoMarketplace.Ssh;

/// <summary>File transfer over SFTP.</summary>
public sealed partial class SshRemoteSession
{
    private const UnixFileMode DefaultDirectoryMode = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode DefaultFileMode = (UnixFileMode)0b110_100_100;      // 0644

    /// <inheritdoc />
    public async Task UploadAsync(Stream content, string remotePath, UnixFileMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        RemotePath.Validate(remotePath);
        var client = await SftpAsync(cancellationToken).ConfigureAwait(false);
        await EnsureDirectoryAsync(client, RemotePath.Parent(remotePath), cancellationToken).ConfigureAwait(false);
        await client.UploadFileAsync(content, remotePath, cancellationToken).ConfigureAwait(false);
        await SetModeAsync(client, remotePath, mode, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<UploadSummary> UploadDirectoryAsync(string localDirectory, string remoteDirectory, CancellationToken cancellationToken = default)
    {
        RemotePath.Validate(remoteDirectory);
        var root = new DirectoryInfo(localDirectory);
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"Local folder '{localDirectory}' does not exist.");
        }

        var client = await SftpAsync(cancellationToken).ConfigureAwait(false);
        int files = 0, directories = 0;
        long bytes = 0;
        await EnsureDirectoryAsync(client, remoteDirectory, cancellationToken).ConfigureAwait(false);
        directories++;
        foreach (var entry in root.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                     .OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root.FullName, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var target = RemotePath.Combine(remoteDirectory, relative);
            if (entry is DirectoryInfo)
            {
                await EnsureDirectoryAsync(client, target, cancellationToken).ConfigureAwait(false);
                await SetModeAsync(client, target, ModeOf(entry, DefaultDirectoryMode), cancellationToken).ConfigureAwait(false);
                directories++;
                continue;
            }

            await using (var stream = File.OpenRead(entry.FullName))
            {
                await client.UploadFileAsync(stream, target, cancellationToken).ConfigureAwait(false);
                bytes += stream.Length;
            }

            await SetModeAsync(client, target, ModeOf(entry, DefaultFileMode), cancellationToken).ConfigureAwait(false);
            files++;
        }

        log.Detail($"[{Label}] uploaded {localDirectory} to {remoteDirectory}: {files} file(s), {directories} folder(s), {bytes} bytes");
        return new UploadSummary(files, directories, bytes);
    }

    private static UnixFileMode ModeOf(FileSystemInfo entry, UnixFileMode fallback) =>
        OperatingSystem.IsWindows() ? fallback : entry.UnixFileMode & (UnixFileMode)0b111_111_111_111;

    // SSH.NET takes the mode as octal digits written in decimal (755) and only the permission bits; setuid, setgid and
    // sticky bits go through chmod.
    private async Task SetModeAsync(SftpClient client, string path, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var octal = Convert.ToString((int)mode & 0b111_111_111_111, 8);
        if (((int)mode & 0b111_000_000_000) == 0)
        {
            client.ChangePermissions(path, short.Parse(octal, System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        await RunAsync($"chmod {octal} {ShellQuote.Quote(path)}", new RemoteCommandSettings { LogOutput = false }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SftpClient> SftpAsync(CancellationToken cancellationToken)
    {
        if (sftp is { IsConnected: true } open)
        {
            return open;
        }

        sftp?.Dispose();
        sftp = await OpenAsync(c => new SftpClient(c), "SFTP", cancellationToken).ConfigureAwait(false);
        return sftp;
    }

    private static async Task EnsureDirectoryAsync(SftpClient client, string directory, CancellationToken cancellationToken)
    {
        if (directory is "/" or "")
        {
            return;
        }

        if (await client.ExistsAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await EnsureDirectoryAsync(client, RemotePath.Parent(directory), cancellationToken).ConfigureAwait(false);
        await client.CreateDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
    }
}
