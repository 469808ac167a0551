namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// An SSH connection could not be made for a reason more waiting does not cure: the private key could not be read, or
/// the server answered in a way SSH.NET cannot go on from. (A machine not answering yet, or refusing the key while
/// cloud-init installs it, is retried until the connect timeout instead.)
/// </summary>
/// <param name="label">The machine, as named in the log.</param>
/// <param name="target">The login tried, <c>user@host:port</c>.</param>
/// <param name="failed">What failed, for example "the private key could not be read".</param>
/// <param name="inner">SSH.NET's error.</param>
public sealed class RemoteConnectFailedException(string label, string target, string failed, Exception inner)
    : DoMarketplaceException($"Could not open an SSH connection to {label} ({target}): {failed}: {inner.Message}", inner)
{
    /// <summary>The machine, as named in the log.</summary>
    public string Label { get; } = label;

    /// <summary>The login tried, <c>user@host:port</c>.</summary>
    public string Target { get; } = target;
}
