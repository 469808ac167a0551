namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// The local side of an upload: listing a folder, opening and reading its files. Every failure to read them is a
/// <see cref="LocalFileUnreadableException"/> naming the path, raised where the file is read; so a local
/// <see cref="IOException"/> is never taken for a lost SSH connection (<see cref="SshFailure.IsConnectionLost"/>), and
/// never reaches the user as the file system's own type.
/// </summary>
internal static class LocalUploadSource
{
    /// <summary>
    /// Every file and folder under <paramref name="root"/>, in ordinal order, which puts each folder before what it
    /// holds. Symlinks are followed: a link to a file uploads the file's content, a link to a folder a real folder with
    /// the linked folder's content. A folder that cannot be listed fails the upload rather than being left out.
    /// </summary>
    public static IReadOnlyList<FileSystemInfo> Entries(string label, DirectoryInfo root)
    {
        try
        {
            if (!root.Exists)
            {
                throw new DirectoryNotFoundException($"Local folder '{root.FullName}' does not exist.");
            }

            var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
            return root.EnumerateFileSystemInfos("*", everything)
                .OrderBy(e => e.FullName, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw new LocalFileUnreadableException(label, root.FullName, e);
        }
    }

    /// <summary>Opens a file to upload (following a symlink to what it points to); its reads fail as the open does.</summary>
    public static Stream OpenRead(string label, string path)
    {
        try
        {
            return new LocalReadStream(label, path, File.OpenRead(path));
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            throw new LocalFileUnreadableException(label, path, e);
        }
    }

    /// <summary>Content handed over already open, left open for its owner: its read failures name <paramref name="path"/>.</summary>
    public static Stream Guard(string label, string path, Stream content) => new LocalReadStream(label, path, content, leaveOpen: true);

    /// <summary>What reading local files throws when a file vanished, changed or may not be read.</summary>
    internal static bool IsReadFailure(Exception e) => e is IOException or UnauthorizedAccessException;
}
