namespace Cake.DoMarketplace.Api.Models;

/// <summary>One address of a droplet.</summary>
internal sealed class DoNetworkAddress
{
    /// <summary>The address.</summary>
    public string IpAddress { get; set; } = string.Empty;

    /// <summary>Netmask (IPv4) or prefix length (IPv6), as given.</summary>
    public System.Text.Json.JsonElement? Netmask { get; set; }

    /// <summary>Gateway.</summary>
    public string? Gateway { get; set; }

    /// <summary><c>public</c> or <c>private</c>.</summary>
    public string Type { get; set; } = string.Empty;
}
