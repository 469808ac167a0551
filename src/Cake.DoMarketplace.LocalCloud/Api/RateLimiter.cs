using System.Collections.Concurrent;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// Counts requests per token like DigitalOcean: an hourly window (<c>ratelimit-limit/remaining/reset</c> headers on
/// every answer) and a per-minute burst limit; over either, 429 with <c>retry-after</c>. Under DigitalOcean's pace at a
/// factor, the hour and the minute are that factor's (<paramref name="windowScale"/>): a run at 0.1 meets 250 requests per
/// 6 seconds, DigitalOcean's limit per paced minute.
/// </summary>
internal sealed class RateLimiter(int perHour, int perMinute, TimeProvider time, double windowScale = 1)
{
    private readonly ConcurrentDictionary<string, Window> windows = new();
    private readonly TimeSpan hour = TimeSpan.FromHours(1) * windowScale;
    private readonly TimeSpan minute = TimeSpan.FromMinutes(1) * windowScale;

    /// <summary>Counts the request and writes the headers; false when the token is over its limit.</summary>
    public bool Admit(string token, HttpResponse response)
    {
        var now = time.GetUtcNow();
        var window = windows.GetOrAdd(token, _ => new Window(now));
        int remaining;
        DateTimeOffset reset;
        int? retryAfter = null;
        lock (window)
        {
            if (now >= window.HourStart + hour)
            {
                window.HourStart = now;
                window.HourCount = 0;
            }

            if (now >= window.MinuteStart + minute)
            {
                window.MinuteStart = now;
                window.MinuteCount = 0;
            }

            var admitted = window.HourCount < perHour && window.MinuteCount < perMinute;
            if (admitted)
            {
                window.HourCount++;
                window.MinuteCount++;
            }
            else
            {
                var until = window.MinuteCount >= perMinute ? window.MinuteStart + minute : window.HourStart + hour;
                retryAfter = (int)Math.Ceiling((until - now).TotalSeconds);
            }

            remaining = Math.Max(0, perHour - window.HourCount);
            if (window.MinuteCount >= perMinute && !admitted)
            {
                remaining = 0;
            }

            reset = window.HourStart + hour;
        }

        response.Headers["ratelimit-limit"] = perHour.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["ratelimit-remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (retryAfter is { } seconds)
        {
            response.Headers["retry-after"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return false;
        }

        return true;
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset HourStart { get; set; } = start;

        public DateTimeOffset MinuteStart { get; set; } = start;

        public int HourCount { get; set; }

        public int MinuteCount { get; set; }
    }
}
