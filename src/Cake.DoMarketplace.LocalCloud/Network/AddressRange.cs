using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Cake.DoMarketplace.LocalCloud.Network;

/// <summary>
/// The IPv4 range droplets take their addresses from, cut into /30 slots: slot n is one droplet's point-to-point link,
/// the host side on the slot's first usable address (the droplet's gateway), the droplet on the second.
/// </summary>
public sealed class AddressRange
{
    /// <summary>RFC 2544's benchmarking range: never routed on the internet, rarely used on a machine.</summary>
    public const string Default = "198.18.0.0/15";

    private AddressRange(uint network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>The first address of the range, as a number.</summary>
    public uint Network { get; }

    /// <summary>The prefix length (16 for a /16).</summary>
    public int PrefixLength { get; }

    /// <summary>How many droplets fit: one /30 each.</summary>
    public int SlotCount => (int)Math.Min(int.MaxValue, 1L << (32 - PrefixLength - 2));

    /// <summary>Parses <c>a.b.c.d/len</c> (len 8 to 29, the address the range's first).</summary>
    /// <exception cref="FormatException">Names the setting and the fix.</exception>
    public static AddressRange Parse(string text, string setting = "LocalCloudOptions.AddressRange")
    {
        var parts = (text ?? string.Empty).Trim().Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length is < 8 or > 29)
        {
            throw new FormatException($"{setting} '{text}' is not an IPv4 range such as {Default} (a /8 to a /29).");
        }

        var network = ToNumber(address);
        var mask = length == 0 ? 0 : uint.MaxValue << (32 - length);
        if ((network & mask) != network)
        {
            throw new FormatException($"{setting} '{text}' does not start on a /{length} boundary: did you mean {FromNumber(network & mask)}/{length}?");
        }

        return new AddressRange(network, length);
    }

    /// <summary>The host side of slot <paramref name="slot"/>'s link: the droplet's gateway.</summary>
    public string Gateway(int slot) => FromNumber(SlotBase(slot) + 1);

    /// <summary>The droplet's address in slot <paramref name="slot"/>.</summary>
    public string DropletAddress(int slot) => FromNumber(SlotBase(slot) + 2);

    /// <summary>Netmask of a slot's link (a /30).</summary>
    public static string SlotNetmask => "255.255.255.252";

    /// <summary>True when the address lies in the range.</summary>
    public bool Contains(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && Overlaps(ToNumber(address), 32);

    /// <summary>True when <c>network/length</c> and this range share an address.</summary>
    public bool Overlaps(uint network, int length)
    {
        var shorter = Math.Min(length, PrefixLength);
        var mask = shorter == 0 ? 0 : uint.MaxValue << (32 - shorter);
        return (network & mask) == (Network & mask);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{FromNumber(Network)}/{PrefixLength}";

    internal static uint ToNumber(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    internal static string FromNumber(uint number)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, number);
        return new IPAddress(bytes).ToString();
    }

    private uint SlotBase(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        return Network + ((uint)slot * 4);
    }
}
