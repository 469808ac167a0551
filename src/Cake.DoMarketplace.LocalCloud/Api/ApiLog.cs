using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// The API's log lines, source-generated (<see cref="LoggerMessageAttribute"/>). Tokens are never logged: a scoped
/// token is named by its scopes.
/// </summary>
internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "403 forbidden: {Method} {Path} needs {Needed}; the token has {Granted}")]
    public static partial void ScopeMissing(this ILogger logger, string method, string path, string needed, string granted);
}
