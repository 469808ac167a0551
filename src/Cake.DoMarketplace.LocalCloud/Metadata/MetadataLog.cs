namespace Cake.DoMarketplace.LocalCloud.Metadata;

/// <summary>The metadata service's log lines, source-generated (<see cref="LoggerMessageAttribute"/>).</summary>
internal static partial class MetadataLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata service on port {Port}: droplets reach it at 169.254.169.254:80")]
    public static partial void MetadataServing(this ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata service: refused {Remote} ({Path}): not a droplet of this local cloud on its own link")]
    public static partial void MetadataRefused(this ILogger logger, System.Net.IPAddress? remote, Microsoft.AspNetCore.Http.PathString path);
}
