namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Marks a build as running on this machine for as long as its cloud resources exist: a file held open with an
/// exclusive lock. The kernel drops the lock when the process dies however it dies (<c>kill -9</c> included), so the
/// orphan sweep can tell a crashed build from a running one without any clock; builds on other machines are told apart
/// by age only.
/// </summary>
internal sealed class BuildLease : IDisposable
{
    private const UnixFileMode SharedFolderMode = UnixFileMode.StickyBit
        | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly FileStream file;

    private BuildLease(FileStream file) => this.file = file;

    /// <summary>The folder of the lease files, shared by every user of the machine like /tmp (sticky, world-writable).</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "cake-domarketplace-builds");

    public static BuildLease Take(string buildId)
    {
        if (!Directory.Exists(Folder))
        {
            Directory.CreateDirectory(Folder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Folder, SharedFolderMode);
            }
        }

        return new BuildLease(new FileStream(PathOf(buildId), FileMode.Create, FileAccess.ReadWrite, FileShare.None));
    }

    /// <summary>Whether a process on this machine holds the build's lease; a stale lease file is removed.</summary>
    public static bool IsHeld(string buildId)
    {
        var path = PathOf(buildId);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            // Reading is enough to try the lock, so another user's lease can be checked too.
            using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None))
            {
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // unreadable: treat as running rather than guess
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's stale lease in the sticky folder: harmless, it is unlocked.
        }

        return false;
    }

    public void Dispose()
    {
        var path = file.Name;
        file.Dispose();
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind, it is removed by the next sweep that finds it unlocked.
        }
    }

    private static string PathOf(string buildId) => Path.Combine(Folder, buildId + ".lock");
}
