using System.Diagnostics;

namespace Cake.DoMarketplace.LocalCloud.Host;

/// <summary>
/// An exclusive lock on a file shared by every local cloud of the machine: held while the returned stream is open, and
/// dropped by the OS if the process dies.
/// </summary>
internal static class FileLock
{
    /// <summary>Waits (probing every <paramref name="poll"/>, at most <paramref name="limit"/>) until the lock is free, then holds it.</summary>
    /// <param name="path">The lock file (its folder is created).</param>
    /// <param name="poll">How often to try again while another process holds it.</param>
    /// <param name="limit">How long to wait before the <see cref="IOException"/> of a held lock propagates.</param>
    /// <param name="waiting">Told the time waited so far before each retry (for progress lines), or null.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<FileStream> AcquireAsync(string path, TimeSpan poll, TimeSpan limit, Action<TimeSpan>? waiting,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < limit)
            {
                waiting?.Invoke(clock.Elapsed);
                await Task.Delay(poll, cancellationToken);
            }
        }
    }
}
