namespace Cake.DoMarketplace.Packages;

/// <summary>
/// The droplet's answer to "who holds the package manager's locks?" could not be read, so the step cannot tell whether the
/// package manager is free; it stops rather than guess.
/// </summary>
/// <param name="label">The machine, as named in the log.</param>
/// <param name="reason">What was wrong with the answer.</param>
/// <param name="innerException">The parse error.</param>
public sealed class PackageLockProbeException(string label, string reason, Exception? innerException = null)
    : DoMarketplaceException($"Could not tell whether the package manager on {label} is busy: {reason}", innerException);
