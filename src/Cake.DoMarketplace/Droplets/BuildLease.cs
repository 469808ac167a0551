using Cake.Core.IO;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Marks a build as running on this machine for as long as its cloud resources exist: a file held open with an
/// exclusive lock. The kernel drops the lock when the process dies however it dies (<c>kill -9</c> included), so the
/// orphan sweep can tell a crashed build from a running one without any clock; builds on other machines are told apart
/// by age only. Taken and tried through <see cref="BuildLeases"/>.
/// </summary>
internal sealed class BuildLease : IDisposable
{
    private readonly IFile file;
    private readonly Stream held;

    internal BuildLease(IFile file, Stream held)
    {
        this.file = file;
        this.held = held;
    }

    public void Dispose()
    {
        held.Dispose();
        try
        {
            file.Delete();
        }
        catch (IOException)
        {
            // Left behind, it is removed by the next sweep that finds it unlocked.
        }
    }
}
