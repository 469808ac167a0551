using System.Text;
using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Conveniences on top of <see cref="IRemoteSession"/>.</summary>
internal static partial class RemoteSessionExtensions
{
    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$")]
    private static partial Regex VariableName();

    /// <summary>
    /// Runs a bash script given as text, with variables passed in the environment (quoted, so values are data, never
    /// code).
    /// </summary>
    public static Task<RemoteCommandResult> RunBashAsync(
        this IRemoteSession session,
        string script,
        IReadOnlyDictionary<string, string>? variables = null,
        RemoteCommandSettings? options = null,
        CancellationToken cancellationToken = default)
    {
        var command = new StringBuilder();
        if (variables is { Count: > 0 })
        {
            command.Append("env");
            foreach (var (name, value) in variables)
            {
                if (!VariableName().IsMatch(name))
                {
                    throw new ArgumentException($"'{name}' is not a valid environment variable name.", nameof(variables));
                }

                command.Append(' ').Append(name).Append('=').Append(ShellQuote.Quote(value));
            }

            command.Append(' ');
        }

        command.Append("bash -c ").Append(ShellQuote.Quote(script.Replace("\r\n", "\n", StringComparison.Ordinal))).Append(" cake-domarketplace");
        return session.RunAsync(command.ToString(), options, cancellationToken);
    }

    /// <summary>Writes text to a remote file with the given mode.</summary>
    public static async Task WriteTextAsync(this IRemoteSession session, string remotePath, string content, UnixFileMode mode,
        CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(content));
        await session.UploadAsync(stream, remotePath, mode, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a script (mode 0700, under /root), runs it, deletes it, and returns its result.</summary>
    public static async Task<RemoteCommandResult> RunScriptAsync(this IRemoteSession session, string content, RemoteCommandSettings settings,
        CancellationToken cancellationToken = default)
    {
        var remote = $"/root/.cake-domarketplace-{Guid.NewGuid():N}.sh";
        await session.WriteTextAsync(remote, content, (UnixFileMode)Convert.ToInt32("700", 8), cancellationToken).ConfigureAwait(false);
        var quoted = ShellQuote.Quote(remote);
        return await session.RunAsync($"{quoted}; status=$?; rm -f {quoted}; exit $status", settings, cancellationToken).ConfigureAwait(false);
    }
}
