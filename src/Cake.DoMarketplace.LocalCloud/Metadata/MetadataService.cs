using System.Net;
using Cake.DoMarketplace.LocalCloud.Machines;
using Cake.DoMarketplace.LocalCloud.State;
using Microsoft.AspNetCore.Hosting;

namespace Cake.DoMarketplace.LocalCloud.Metadata;

/// <summary>
/// DigitalOcean's metadata service for this cloud's droplets: what a droplet sends to <c>169.254.169.254:80</c> is
/// redirected to this listener (<see cref="Network.DropletNetwork.ServeMetadataAsync"/>), which knows the droplet by
/// its source address and answers for that droplet only, from the same state the API answers from. It also serves the
/// stand-in agent packages droplets install (<see cref="VendorData"/>). Connections that were not redirected from a
/// droplet's link are dropped by the network before they reach it; one that still arrives from anything but a live
/// droplet of this cloud is refused.
/// </summary>
internal sealed class MetadataService : IAsyncDisposable
{
    private readonly WebApplication app;

    private MetadataService(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    /// <summary>The port the service listens on, on every host address (only redirected droplet traffic reaches it).</summary>
    public int Port { get; }

    public static async Task<MetadataService> StartAsync(CloudState state, AgentPackages agents, ILogger log, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://0.0.0.0:0");
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (Requester(context, state) is null)
            {
                log.MetadataRefused(context.Connection.RemoteIpAddress, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("forbidden: the metadata service answers this local cloud's droplets only\n");
                return;
            }

            await next(context);
        });
        // One route for the whole tree: ASP.NET routing treats "/metadata/v1" and "/metadata/v1/" alike, DigitalOcean does not.
        app.MapGet("/metadata/{**rest}", (HttpContext c) =>
        {
            const string Root = "/metadata/v1/";
            var path = c.Request.Path.Value ?? string.Empty;
            if (path == "/metadata/v1.json")
            {
                return Results.Json(Tree(c, state).Document);
            }

            if (!path.StartsWith(Root, StringComparison.Ordinal))
            {
                return path == Root.TrimEnd('/') ? Results.Redirect(Root, permanent: true) : Results.Text("not found", "text/plain", statusCode: 404);
            }

            var (status, body, location) = Tree(c, state).Answer(path[Root.Length..]);
            return location is not null
                ? Results.Redirect(Root + location, permanent: true)
                : Results.Text(body, "text/plain; charset=utf-8", statusCode: status);
        });
        app.MapGet(VendorData.PackagesPath + "{name}.deb", (string name) =>
            agents.PathOf(name) is { } file && File.Exists(file)
                ? Results.File(file, "application/vnd.debian.binary-package", $"{name}.deb")
                : Results.Text("not found", "text/plain", statusCode: 404));
        app.MapFallback(() => Results.Text("not found", "text/plain", statusCode: 404));
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        return new MetadataService(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    // The droplet whose own address the request comes from, through its own link (its gateway is where it arrived).
    private static DropletRecord? Requester(HttpContext context, CloudState state)
    {
        var remote = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
        var local = context.Connection.LocalIpAddress is { IsIPv4MappedToIPv6: true } localMapped ? localMapped.MapToIPv4() : context.Connection.LocalIpAddress;
        if (remote is null || local is null)
        {
            return null;
        }

        var droplet = state.Droplets.FirstOrDefault(d => IPAddress.Parse(d.IpAddress).Equals(remote));
        return droplet is not null && IPAddress.Parse(droplet.Address.Gateway).Equals(local) ? droplet : null;
    }

    private static MetadataTree Tree(HttpContext context, CloudState state)
    {
        var droplet = Requester(context, state)!;
        return MetadataTree.For(droplet, state.Locked(() => droplet.Tags.ToList()), Network.AddressRange.SlotNetmask);
    }
}
