using System.ComponentModel;
using System.Net.Sockets;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// A failure of the command as one line for stderr: the message, its lines joined (a list of missing prerequisites, a
/// failed host command's last output), no stack trace. A failure of a kind the local cloud does not raise for a reason
/// it knows (a bug) keeps its type name, so it can be told from a machine that is not ready.
/// </summary>
internal static class StartFailure
{
    public static string OneLine(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var message = failure is ArgumentException { ParamName: { } name } argument
            ? argument.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : failure.Message;
        var text = Join(message);
        return IsExplained(failure) ? text : $"{failure.GetType().Name}: {text}";
    }

    private static bool IsExplained(Exception failure) => failure is InvalidOperationException or IOException or UnauthorizedAccessException
        or FormatException or ArgumentException or PlatformNotSupportedException or Win32Exception or SocketException or TimeoutException
        or CommandLineException or Machines.Prerequisites.UnmetException;

    private static string Join(string message)
    {
        var line = new System.Text.StringBuilder();
        var parts = message.Split('\n')
            .Select(l => l.Trim())
            .Select(l => l.StartsWith("- ", StringComparison.Ordinal) ? l[2..].Trim() : l) // a list item's marker
            .Where(l => l.Length > 0);
        foreach (var part in parts)
        {
            if (line.Length > 0)
            {
                line.Append(line[^1] is ':' or '.' or ';' ? " " : "; ");
            }

            line.Append(part);
        }

        return line.ToString();
    }
}
