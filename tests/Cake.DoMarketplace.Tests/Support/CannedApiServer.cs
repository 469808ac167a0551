using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>A request the canned server received.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string Body);

/// <summary>
/// A canned answer: status, body (JSON unless <paramref name="ContentType"/> says otherwise), headers, and
/// <paramref name="PaddingBytes"/> of <c>x</c> streamed after the body (a huge answer; announced only by a
/// <c>Content-Length</c> in <paramref name="Headers"/>).
/// </summary>
public sealed record CannedResponse(int Status, string? Json = null, IReadOnlyDictionary<string, string>? Headers = null, string? ContentType = null,
    long PaddingBytes = 0);

/// <summary>
/// A real HTTP listener on loopback (Kestrel) that serves canned DigitalOcean responses per method and path, in order
/// (the last one repeats), and records every request.
/// </summary>
public sealed class CannedApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CannedResponse>> routes = new();
    private readonly ConcurrentDictionary<string, CannedResponse> lastServed = new();
    private long paddingBytesWritten;

    private CannedApiServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The answer to a method and path nothing was queued for; a 404 <c>not_found</c> when null.</summary>
    public CannedResponse? Fallback { get; set; }

    /// <summary>How many padding bytes the server wrote before it saw the client hang up (writes after that are lost).</summary>
    public long PaddingBytesWritten => Interlocked.Read(ref paddingBytesWritten);

    public static async Task<CannedApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new CannedApiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    /// <summary>Queues answers for a method and path (the path without query).</summary>
    public CannedApiServer On(string method, string path, params CannedResponse[] responses)
    {
        var queue = routes.GetOrAdd(Key(method, path), _ => new ConcurrentQueue<CannedResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }

        return this;
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.PathAndQuery.Split('?')[0] == path).ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var pathAndQuery = context.Request.Path + context.Request.QueryString;
        Requests.Enqueue(new RecordedRequest(context.Request.Method, pathAndQuery, context.Request.Headers.Authorization.ToString(), body));

        var key = Key(context.Request.Method, context.Request.Path);
        CannedResponse? response = null;
        if (routes.TryGetValue(key, out var queue) && queue.TryDequeue(out var next))
        {
            response = next;
            lastServed[key] = next;
        }
        else
        {
            lastServed.TryGetValue(key, out response);
        }

        response ??= Fallback
            ?? new CannedResponse(404, """{"id":"not_found","message":"The resource you were accessing could not be found.","request_id":"canned"}""");
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Json is not null)
        {
            context.Response.ContentType = response.ContentType ?? "application/json";
            await context.Response.WriteAsync(response.Json.Replace("{base}", BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal));
        }

        await PadAsync(context, response.PaddingBytes);
    }

    private async Task PadAsync(HttpContext context, long bytes)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        try
        {
            for (var left = bytes; left > 0 && !context.RequestAborted.IsCancellationRequested; left -= chunk.Length)
            {
                var size = (int)Math.Min(left, chunk.Length);
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
                Interlocked.Add(ref paddingBytesWritten, size);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client stopped reading.
        }
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;
}
