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

/// <summary>A remote command ended with a non-zero exit status.</summary>
public sealed class RemoteCommandException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteCommandException(string label, RemoteCommandResult result)
        : base($"Remote command on {label} exited with status {result.ExitStatus}: {Shorten(result.Command)}" +
               (string.IsNullOrWhiteSpace(result.StandardError) ? string.Empty : $"{Environment.NewLine}stderr (last lines):{Environment.NewLine}{Tail(result.StandardError)}"))
    {
        Result = result;
    }

    /// <summary>The command's result.</summary>
    public RemoteCommandResult Result { get; }

    private static string Shorten(string command)
    {
        var firstLine = command.Split('\n')[0];
        return firstLine.Length > 200 ? firstLine[..200] + "…" : firstLine + (command.Contains('\n') ? " …" : string.Empty);
    }

    private static string Tail(string text) =>
        string.Join(Environment.NewLine, text.TrimEnd().Split('\n').TakeLast(10).Select(l => "  " + l.TrimEnd('\r')));
}

/// <summary>The SSH connection dropped while a command ran, and the command was not expected to drop it.</summary>
public sealed class RemoteConnectionLostException(string label, string command, TimeSpan after, Exception inner)
    : Exception($"The SSH connection to {label} dropped after {Diagnostics.WaitTimeoutException.Format(after)} while running: {command.Split('\n')[0]}. " +
                "Its outcome is unknown. If the command reboots the machine or restarts sshd, set RemoteCommandSettings.ExpectReboot; the next command reconnects.", inner)
{
}
