namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// A remote command ended with a non-zero exit status. The message ends with the last lines of its standard output and
/// standard error, so that output kept out of the log while the command ran (a package manager's progress) still
/// explains the failure.
/// </summary>
public sealed class RemoteCommandException : DoMarketplaceException
{
    /// <summary>How many of the last lines of each stream the message shows.</summary>
    internal const int TailLines = 10;

    /// <summary>Creates the exception.</summary>
    public RemoteCommandException(string label, RemoteCommandResult result)
        : base($"Remote command on {label} exited with status {result.ExitStatus}: {Shorten(result.Command)}" +
               Section("stdout", result.StandardOutput) + Section("stderr", result.StandardError))
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

    private static string Section(string stream, string text) => string.IsNullOrWhiteSpace(text)
        ? string.Empty
        : $"{Environment.NewLine}{stream} (last lines):{Environment.NewLine}{Tail(text)}";

    private static string Tail(string text) =>
        string.Join(Environment.NewLine, Diagnostics.LineTail.Last(text, TailLines).Select(l => "  " + l));
}
