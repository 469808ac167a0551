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

    public long Total => Interlocked.Read(ref total);

    /// <summary>Every request so far as "METHOD /path?query", in order of arrival.</summary>
    public IReadOnlyList<string> Lines => lines.ToArray();

    public void Add(string method, string pathAndQuery)
    {
        lines.Enqueue($"{method} {pathAndQuery}");
        Interlocked.Increment(ref total);
    }
}
