namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// A stop signal (Ctrl-C's SIGINT, or the SIGTERM a CI system sends when it cancels a job) cancelled the running alias.
/// The alias's clean-ups ran before this was raised; the log lines before it say what they removed.
/// </summary>
/// <param name="signal">The signal that stopped the alias: <c>SIGINT</c> or <c>SIGTERM</c>.</param>
/// <param name="innerException">The cancellation the signal caused.</param>
public sealed class BuildStoppedException(string signal, Exception innerException)
    : DoMarketplaceException($"Stopped by {signal}: the running alias was cancelled and its clean-ups ran (see the lines above).", innerException)
{
    /// <summary>The signal that stopped the alias: <c>SIGINT</c> or <c>SIGTERM</c>.</summary>
    public string Signal { get; } = signal;
}
