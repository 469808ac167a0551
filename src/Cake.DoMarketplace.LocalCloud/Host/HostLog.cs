namespace Cake.DoMarketplace.LocalCloud.Host;

/// <summary>
/// The host commands' log lines, source-generated (<see cref="LoggerMessageAttribute"/>): no boxing or argument array
/// when the level is off. The texts are the console's, read by people: change them knowingly.
/// </summary>
internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{File} failed with exit code {Code}")]
    public static partial void CommandFailed(this ILogger logger, string file, int code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{File} exited with {Code}")]
    public static partial void CommandExited(this ILogger logger, string file, int code);
}
