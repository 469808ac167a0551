namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// An upload could not read one of its local files or folders: it vanished or changed after the upload listed it (a
/// symlink whose target is gone counts), or it is not readable. The upload stops there; what it sent before may already
/// be on the machine.
/// </summary>
/// <param name="label">The machine the upload went to, as named in the log.</param>
/// <param name="localPath">The local file or folder that could not be read.</param>
/// <param name="inner">The file system's error.</param>
public sealed class LocalFileUnreadableException(string label, string localPath, Exception inner)
    : DoMarketplaceException($"The upload to {label} could not read the local {localPath}: {inner.Message} It vanished, changed or is not "
                             + "readable; the upload stopped there, and what it sent before may already be on the machine.", inner)
{
    /// <summary>The local file or folder that could not be read.</summary>
    public string LocalPath { get; } = localPath;
}
