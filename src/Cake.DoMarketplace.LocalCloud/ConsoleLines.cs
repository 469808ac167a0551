using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// The command's console lines: time and message (<c>22:50:11 Droplet 501000001 up …</c>), the level only when it is
/// not information, and an exception's text after its message — no logger category or event id for a reader to decode.
/// </summary>
internal sealed class ConsoleLines() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "local-cloud";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel == LogLevel.Information ? string.Empty : logEntry.LogLevel.ToString().ToLowerInvariant() + ": ";
        textWriter.WriteLine(
            $"{DateTime.Now:HH:mm:ss} {level}{message}{(logEntry.Exception is null ? string.Empty : Environment.NewLine + logEntry.Exception)}");
    }
}
