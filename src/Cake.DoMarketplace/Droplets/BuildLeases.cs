using Cake.Core;
using Cake.Core.IO;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// The folder of <see cref="BuildLease"/> files, in the machine's temporary folder and shared by every user like /tmp
/// (sticky, world-writable), reached through Cake's <see cref="IFileSystem"/>. The lock itself is the kernel's: an
/// exclusive open (<see cref="FileShare.None"/>) of the real file.
/// </summary>
/// <param name="Files">The file system the lease files are opened through.</param>
/// <param name="Folder">The absolute folder of the lease files.</param>
internal sealed record BuildLeases(IFileSystem Files, DirectoryPath Folder)
{
    private const string FolderName = "cake-domarketplace-builds";

    private const UnixFileMode SharedFolderMode = UnixFileMode.StickyBit
        | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Cake's file system over the system's temporary folder, for workers made without a Cake context.</summary>
    public static BuildLeases OnThisMachine { get; } = new(new FileSystem(), new DirectoryPath(System.IO.Path.GetTempPath()).Combine(FolderName));

    /// <summary>The leases of the build script's file system and temporary folder.</summary>
    public static BuildLeases For(IFileSystem files, ICakeEnvironment environment) =>
        new(files, environment.GetSpecialPath(SpecialPath.LocalTemp).Combine(FolderName));

    public BuildLease Take(string buildId)
    {
        var folder = Files.GetDirectory(Folder);
        if (!folder.Exists)
        {
            folder.Create();
            if (!OperatingSystem.IsWindows())
            {
                folder.SetUnixFileMode(SharedFolderMode);
            }
        }

        var file = Files.GetFile(PathOf(buildId));
        return new BuildLease(file, file.Open(FileMode.Create, FileAccess.ReadWrite, FileShare.None));
    }

    /// <summary>Whether a process on this machine holds the build's lease; a stale lease file is removed.</summary>
    public bool IsHeld(string buildId)
    {
        var file = Files.GetFile(PathOf(buildId));
        if (!file.Exists)
        {
            return false;
        }

        try
        {
            // Reading is enough to try the lock, so another user's lease can be checked too.
            using (file.Open(FileMode.Open, FileAccess.Read, FileShare.None))
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
            file.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's stale lease in the sticky folder: harmless, it is unlocked.
        }

        return false;
    }

    /// <summary>The lease file of a build.</summary>
    public FilePath PathOf(string buildId) => Folder.CombineWithFilePath(buildId + ".lock");
}
