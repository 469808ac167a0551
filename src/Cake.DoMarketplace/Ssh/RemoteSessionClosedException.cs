namespace Cake.DoMarketplace.Ssh;

/// <summary>A command was sent over an SSH session that is closed (disposed, or its connection is gone).</summary>
/// <param name="label">The machine, as named in the log.</param>
public sealed class RemoteSessionClosedException(string label)
    : DoMarketplaceException($"The SSH session to {label} is closed.")
{
    /// <summary>The machine, as named in the log.</summary>
    public string Label { get; } = label;
}
