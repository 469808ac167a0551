namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>The fault layer's log lines, source-generated; the texts are the console's, read by people.</summary>
internal static partial class FaultsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id}: injected fault, stays 'new'")]
    public static partial void StuckInNewFault(this ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id}: injected fault, shutdown ignored")]
    public static partial void ShutdownIgnoredFault(this ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id}: injected fault, SSH refused for {Delay}")]
    public static partial void SshRefusedFault(this ILogger logger, long id, TimeSpan delay);
}
