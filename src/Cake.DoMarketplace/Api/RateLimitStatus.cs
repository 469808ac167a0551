using System.Globalization;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// The <c>ratelimit-*</c> headers of the latest API response.
/// </summary>
/// <param name="Limit">Requests allowed per hour (<c>ratelimit-limit</c>).</param>
/// <param name="Remaining">Requests left in the window (<c>ratelimit-remaining</c>).</param>
/// <param name="ResetsAt">When the window resets (<c>ratelimit-reset</c>, Unix time).</param>
/// <param name="ObservedAt">When this response was received.</param>
internal sealed record RateLimitStatus(int? Limit, int? Remaining, DateTimeOffset? ResetsAt, DateTimeOffset ObservedAt)
{
    internal static RateLimitStatus? FromHeaders(HttpResponseMessage response, DateTimeOffset now)
    {
        var limit = ReadInt(response, "ratelimit-limit");
        var remaining = ReadInt(response, "ratelimit-remaining");
        var reset = ReadInt(response, "ratelimit-reset");
        if (limit is null && remaining is null && reset is null)
        {
            return null;
        }

        return new RateLimitStatus(limit, remaining, reset is { } r ? DateTimeOffset.FromUnixTimeSeconds(r) : null, now);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Remaining?.ToString(CultureInfo.InvariantCulture) ?? "?"}/{Limit?.ToString(CultureInfo.InvariantCulture) ?? "?"} left" +
        (ResetsAt is { } at ? $", resets {at:HH:mm:ss}Z" : string.Empty);

    private static int? ReadInt(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && int.TryParse(values.FirstOrDefault(), out var value)
            ? value
            : null;
}
