namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>The local cloud did not start; the message carries its last lines (prerequisites missing, not root, an address range taken…).</summary>
/// <param name="message">What happened, with the local cloud's last lines.</param>
/// <param name="output">The local cloud's last lines alone.</param>
public sealed class LocalCloudStartException(string message, string output) : DoMarketplaceException(message)
{
    /// <summary>The local cloud's last console lines before it ended.</summary>
    public string Output { get; } = output;
}
