namespace Cake.DoMarketplace.Ssh;

/// <summary>What a remote command did.</summary>
/// <param name="Command">The command text.</param>
/// <param name="ExitStatus">Its exit status (-1 when the connection dropped before it reported one).</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
/// <param name="Duration">How long it ran.</param>
public sealed record RemoteCommandResult(string Command, int ExitStatus, string StandardOutput, string StandardError, TimeSpan Duration)
{
    /// <summary>True for exit status 0.</summary>
    public bool Succeeded => ExitStatus == 0;
}
