namespace Cake.DoMarketplace.Ssh;

/// <summary>A remote command ended with a non-zero exit status.</summary>
public sealed class RemoteCommandException : DoMarketplaceException
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
