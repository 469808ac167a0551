using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// Who made a cloud resource and when: every droplet a build creates carries <see cref="Tag"/>, its temporary key is
/// named <see cref="KeyName"/> (keys have no creation time in the API, so the name carries it), and the snapshot of
/// <c>DoBuildImage</c> carries <see cref="Tag"/> until the build has finished. <c>DoCleanupOrphans</c> reads them back.
/// </summary>
internal sealed partial record BuildIdentity(string Id, DateTimeOffset StartedAt)
{
    /// <summary>The tag every resource of any build of this addin carries.</summary>
    public const string AddinTag = "cake-domarketplace";

    /// <summary>The tag a droplet kept for debugging gets: the orphan sweep leaves it and its key alone.</summary>
    public const string KeptTag = AddinTag + "-kept";

    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>This build's own tag.</summary>
    public string Tag => $"{AddinTag}-{Id}";

    /// <summary>The temporary key's name: the build's tag and its start time.</summary>
    public string KeyName => $"{Tag}-{StartedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}";

    public static BuildIdentity New(TimeProvider? clock = null) =>
        new(Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant(), (clock ?? TimeProvider.System).GetUtcNow());

    /// <summary>The build id of a tag such as <c>cake-domarketplace-1a2b3c4d</c>; null for any other tag.</summary>
    public static string? IdFromTag(string tag) => BuildTag().Match(tag) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The build of a temporary key's name; null for a key this addin did not make.</summary>
    public static BuildIdentity? FromKeyName(string name) =>
        KeyNamePattern().Match(name) is { Success: true } m
        && DateTimeOffset.TryParseExact(m.Groups[2].Value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started)
            ? new BuildIdentity(m.Groups[1].Value, started)
            : null;

    [GeneratedRegex("^cake-domarketplace-([0-9a-f]{8})$")]
    private static partial Regex BuildTag();

    [GeneratedRegex("^cake-domarketplace-([0-9a-f]{8})-([0-9]{8}T[0-9]{6}Z)$")]
    private static partial Regex KeyNamePattern();
}
