namespace Cake.DoMarketplace.Api.Models;

/// <summary>The networks of a droplet.</summary>
internal sealed class DoNetworks
{
    /// <summary>IPv4 addresses.</summary>
    public List<DoNetworkAddress> V4 { get; set; } = [];

    /// <summary>IPv6 addresses.</summary>
    public List<DoNetworkAddress> V6 { get; set; } = [];
}
