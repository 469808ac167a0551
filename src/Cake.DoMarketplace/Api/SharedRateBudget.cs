using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// One rate-limit budget per token and API address for the whole process: parallel builds in one Cake run see the same
/// <c>ratelimit-*</c> figures, and when the budget is spent they wait for its reset together instead of each earning
/// its own 429s.
/// </summary>
internal sealed class SharedRateBudget
{
    private static readonly ConcurrentDictionary<string, SharedRateBudget> Budgets = new(StringComparer.Ordinal);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);
    private RateLimitStatus? latest;
    private RateLimitStatus? lastAccepted;

    public RateLimitStatus? Latest => Volatile.Read(ref latest);

    public static SharedRateBudget For(string token, Uri baseUrl) =>
        Budgets.GetOrAdd(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(baseUrl.AbsoluteUri + "\n" + token))), _ => new SharedRateBudget());

    /// <summary>Records the headers of a response; <paramref name="refused"/> for a 429, whose own retry-after rules.</summary>
    public void Observe(RateLimitStatus status, bool refused)
    {
        var current = Latest;
        if (current is null || status.ObservedAt >= current.ObservedAt)
        {
            Volatile.Write(ref latest, status);
        }

        if (!refused)
        {
            Volatile.Write(ref lastAccepted, status);
        }
    }

    /// <summary>How long to hold a request so the budget is not overdrawn; zero when there is room.</summary>
    public TimeSpan WaitBeforeRequest(DateTimeOffset now)
    {
        // Only an accepted request that left nothing proves the hourly budget is spent; a 429's retry-after covers bursts.
        if (Volatile.Read(ref lastAccepted) is not { Remaining: <= 0, ResetsAt: { } reset } || reset <= now)
        {
            return TimeSpan.Zero;
        }

        var wait = reset - now;
        return wait > LongestWait ? LongestWait : wait;
    }
}
