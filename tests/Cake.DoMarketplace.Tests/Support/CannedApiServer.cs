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

/// <summary>A canned answer: status, JSON body, headers.</summary>
public sealed record CannedResponse(int Status, string? Json = null, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A real HTTP listener on loopback (Kestrel) that serves canned DigitalOcean responses per method and path, in order
/// (the last one repeats), and records every request.
/// </summary>
public sealed class CannedApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CannedResponse>> routes = new();
    private readonly ConcurrentDictionary<string, CannedResponse> lastServed = new();

    private CannedApiServer(WebApplication app) => this.app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The answer to a method and path nothing was queued for; a 404 <c>not_found</c> when null.</summary>
    public CannedResponse? Fallback { get; set; }

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

        response ??= Fallback ?? new CannedResponse(404, """{"id":"not_found","message":"The resource you were accessing could not be found.","request_id":"canned"}""");
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Json.Replace("{base}", BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal));
        }
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;
}
