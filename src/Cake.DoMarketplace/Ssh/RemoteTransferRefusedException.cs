namespace Cake.DoMarketplace.Ssh;

/// <summary>The droplet's SFTP server refused a file transfer: the path does not exist or the user may not write it.</summary>
/// <param name="label">The machine, as named in the log.</param>
/// <param name="remotePath">The path the transfer was refused on.</param>
/// <param name="inner">SSH.NET's error.</param>
public sealed class RemoteTransferRefusedException(string label, string remotePath, Exception inner)
    : DoMarketplaceException($"The SFTP server on {label} refused the transfer to {remotePath}: {inner.Message}.", inner)
{
    /// <summary>The path the transfer was refused on.</summary>
    public string RemotePath { get; } = remotePath;
}
