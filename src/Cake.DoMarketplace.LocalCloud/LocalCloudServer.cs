using Cake.DoMarketplace.LocalCloud.Api;
using Cake.DoMarketplace.LocalCloud.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// The local cloud's API server on 127.0.0.1: start it in-process (tests, tools) or through <c>Program</c>.
/// </summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LocalCloudServer(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The API base address, such as <c>http://127.0.0.1:7117/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Starts the server and returns once it accepts requests.</summary>
    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tokens.Count == 0)
        {
            throw new ArgumentException("The local cloud needs at least one accepted token (LocalCloudOptions.Tokens, or --token).", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        var app = builder.Build();

        var limiter = new RateLimiter(options.RequestsPerHour, options.RequestsPerMinute, time ?? TimeProvider.System);
        var tokens = options.Tokens.ToHashSet(StringComparer.Ordinal);
        app.Use(async (context, next) =>
        {
            RequestIds.Of(context);
            var header = context.Request.Headers.Authorization.ToString();
            var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
            if (token is null || !tokens.Contains(token))
            {
                await ApiError.Unauthorized().ExecuteAsync(context);
                return;
            }

            if (!limiter.Admit(token, context.Response))
            {
                await ApiError.TooManyRequests().ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        AccountEndpoints.Map(app, new SshKeyStore());
        app.MapFallback(() => ApiError.NotFound());

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalCloudServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Waits until the server stops (Ctrl-C in the command).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
