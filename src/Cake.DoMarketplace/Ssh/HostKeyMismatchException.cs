namespace Cake.DoMarketplace.Ssh;

/// <summary>The server presented a host key other than the pinned one: someone may be impersonating the droplet.</summary>
public sealed class HostKeyMismatchException(string label, string expected, string presented)
    : DoMarketplaceException($"SSH host key of {label} is {presented}, but {expected} was expected. The connection was refused: " +
                "the machine answering is not the droplet this build created (or the host key setting is wrong).")
{
}
