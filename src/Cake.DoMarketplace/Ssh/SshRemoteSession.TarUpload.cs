using Cake.DoMarketplace.Diagnostics;
using System.Formats.Tar;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Folder uploads as one tar stream into GNU tar on the droplet.</summary>
internal sealed partial class SshRemoteSession
{
    // -p applies the archive's modes exactly (setuid/setgid/sticky included, umask ignored) also for a non-root login;
    // --no-same-owner leaves files owned by the login user, as SFTP did; -m stamps them with the upload time, as SFTP did
    // (and a droplet clock behind ours does not warn "time stamp in the future"); --overwrite writes into existing files
    // (through symlinks, keeping their owner) as SFTP did; --keep-directory-symlink keeps /lib, /bin and /sbin, symlinks
    // on merged-/usr systems, from being replaced by real folders when a folder is uploaded to /.
    private const string TarExtractOptions = "-x -f - -p -m --no-same-owner --overwrite --keep-directory-symlink";

    private bool? remoteHasGnuTar;

    /// <summary>
    /// Whether the droplet has GNU tar (the options above are GNU's); asked once per session. Without it folder
    /// uploads go file by file over SFTP.
    /// </summary>
    private async Task<bool> RemoteHasGnuTarAsync(CancellationToken cancellationToken)
    {
        if (remoteHasGnuTar is null)
        {
            var version = await RunAsync("tar --version 2>/dev/null | head -n 1", new RemoteCommandSettings { LogOutput = false, AllowNonZeroExit = true },
                cancellationToken).ConfigureAwait(false);
            remoteHasGnuTar = version.StandardOutput.Contains("GNU tar", StringComparison.Ordinal);
            if (remoteHasGnuTar == false)
            {
                log.Detail($"[{Label}] no GNU tar on the droplet; folder uploads go file by file over SFTP");
            }
        }

        return remoteHasGnuTar.Value;
    }

    /// <summary>
    /// Streams the entries as one archive into <c>tar -x</c> in <paramref name="remoteDirectory"/> (created with its
    /// parents when missing, its own mode left alone as the SFTP path leaves it). Entries are written as they are read
    /// from disk: neither the archive nor a whole file is held in memory.
    /// </summary>
    private async Task<UploadSummary> UploadEntriesAsTarAsync(DirectoryInfo root, IReadOnlyList<FileSystemInfo> entries, string remoteDirectory,
        CancellationToken cancellationToken)
    {
        int files = 0, directories = 1;
        long bytes = 0;
        var target = ShellQuote.Quote(remoteDirectory);
        await RunWithInputAsync(
            $"mkdir -p -- {target} && exec tar {TarExtractOptions} -C {target}",
            async (input, token) =>
            {
                await using var archive = new TarWriter(input, TarEntryFormat.Gnu, leaveOpen: true);
                foreach (var entry in entries)
                {
                    token.ThrowIfCancellationRequested();
                    var name = RelativeName(root, entry);
                    if (entry is DirectoryInfo)
                    {
                        await archive.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, name) { Mode = ModeOf(entry, DefaultDirectoryMode) },
                            token).ConfigureAwait(false);
                        directories++;
                        continue;
                    }

                    // Opened by path, so a symlink uploads what it points to, as the SFTP path does.
                    await using var content = LocalUploadSource.OpenRead(Label, entry.FullName);
                    var file = new GnuTarEntry(TarEntryType.RegularFile, name) { Mode = ModeOf(entry, DefaultFileMode), DataStream = content };
                    await archive.WriteEntryAsync(file, token).ConfigureAwait(false);
                    bytes += content.Length;
                    files++;
                }
            },
            cancellationToken).ConfigureAwait(false);
        return new UploadSummary(files, directories, bytes);
    }

    private static string RelativeName(DirectoryInfo root, FileSystemInfo entry) =>
        Path.GetRelativePath(root.FullName, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
}
