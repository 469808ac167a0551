namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// The API layer's log lines, source-generated (<see cref="LoggerMessageAttribute"/>): no boxing or argument array when
/// the level is off. The texts are the console's, read by people: change them knowingly.
/// </summary>
internal static partial class ApiLog
{
    /// <summary>Tokens are never logged: a scoped token is named by its scopes.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "403 forbidden: {Method} {Path} needs {Needed}; the token has {Granted}")]
    public static partial void ScopeMissing(this ILogger logger, string method, string path, string needed, string granted);

    /// <summary>Each API request as it arrives, to see which requests a build makes (debug level: off by default).</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "API request: {Method} {PathAndQuery}")]
    public static partial void ApiRequest(this ILogger logger, string method, string pathAndQuery);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: injected fault, answered {Kind} instead of {Status}")]
    public static partial void MalformedAnswer(this ILogger logger, string method, PathString path, string kind, int status);
}
