namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// The droplet service's and background work's log lines, source-generated (<see cref="LoggerMessageAttribute"/>): no
/// boxing or argument array when the level is off. The texts are the console's, read by people: change them knowingly.
/// </summary>
internal static partial class StateLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pace: {Description}")]
    public static partial void Pace(this ILogger logger, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not starting {What}: the local cloud is stopping")]
    public static partial void NotStarting(this ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} failed")]
    public static partial void BackgroundWorkFailed(this ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping with {Count} background task(s) still running after {Limit}")]
    public static partial void StoppingWithPendingWork(this ILogger logger, int count, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Droplet {Id} ({Name}): {What} failed")]
    public static partial void DropletWorkFailed(this ILogger logger, Exception exception, long id, string name, string what);
}
