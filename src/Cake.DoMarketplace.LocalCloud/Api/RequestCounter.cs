using System.Collections.Concurrent;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// The API requests that arrived (the local cloud's own <c>/local-cloud</c> endpoints not counted), for benchmarks and
/// for tests that hold a build to its request budget: how many, and each one's method and path in order of arrival.
/// </summary>
internal sealed class RequestCounter
{
    private readonly ConcurrentQueue<string> lines = new();
    private long total;
    private long tooMany;

    public long Total => Interlocked.Read(ref total);

    /// <summary>How many of them were answered 429 (over the token's rate limit).</summary>
    public long TooManyRequests => Interlocked.Read(ref tooMany);

    /// <summary>Every request so far as "METHOD /path?query", in order of arrival.</summary>
    public IReadOnlyList<string> Lines => lines.ToArray();

    public void Add(string method, string pathAndQuery)
    {
        lines.Enqueue($"{method} {pathAndQuery}");
        Interlocked.Increment(ref total);
    }

    public void AddTooManyRequests() => Interlocked.Increment(ref tooMany);
}
