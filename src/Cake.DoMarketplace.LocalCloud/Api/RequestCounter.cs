namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>How many API requests arrived (the local cloud's own <c>/local-cloud</c> endpoints not counted), for benchmarks.</summary>
internal sealed class RequestCounter
{
    private long total;

    public long Total => Interlocked.Read(ref total);

    public void Add() => Interlocked.Increment(ref total);
}
