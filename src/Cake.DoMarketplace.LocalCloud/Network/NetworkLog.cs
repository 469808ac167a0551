using System.Net;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>
/// The droplet network's log lines, source-generated (<see cref="LoggerMessageAttribute"/>): no boxing or argument
/// array when the level is off. The texts are the console's, read by people: change them knowingly.
/// </summary>
internal static partial class NetworkLog
{
    /// <summary>The mirrors and uplinks are written as the formatter writes a list: comma and space between them.</summary>
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Droplet network {Range}: NAT to the package mirror ({Mirrors}) and DNS ({Dns}) through {Uplinks}; nftables table ip {Table}")]
    public static partial void NetworkStarted(this ILogger logger, AddressRange range, IReadOnlyList<IPAddress> mirrors, IPAddress dns,
        IReadOnlyList<string> uplinks, string table);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing nftables table ip {Table} of a local cloud that is gone")]
    public static partial void RemovingStaleTable(this ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "IPv4 forwarding on {Uplink} switched on for the droplets' replies (restored when the last local cloud stops)")]
    public static partial void ForwardingSwitchedOn(this ILogger logger, string uplink);

    [LoggerMessage(Level = LogLevel.Information, Message = "IPv4 forwarding on {Uplink} restored to {Value}")]
    public static partial void ForwardingRestored(this ILogger logger, string uplink, string value);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Removed link {Link} and namespace {Namespace} of slot {Slot}, left by a local cloud that is gone ({Stopped} process(es) still running in "
        + "it stopped)")]
    public static partial void StaleSlotRemoved(this ILogger logger, int slot, string link, string @namespace, int stopped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the unreachable route of {Range}, left by a local cloud that is gone")]
    public static partial void StaleRouteRemoved(this ILogger logger, string range);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local cloud {Member} is gone without cleaning up: dropping it from the network registry")]
    public static partial void DeadMemberDropped(this ILogger logger, string member);
}
