using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// What every request passes first: a request id, the bearer token, the per-token rate limit, the token's scopes
/// (<see cref="ScopeGate"/>; an entry in <see cref="LocalCloudOptions.TokenScopes"/> limits a token even when it is in
/// <see cref="LocalCloudOptions.Tokens"/> too).
/// </summary>
internal static class ApiGate
{
    public static void Use(WebApplication app, LocalCloudOptions options, TimeProvider time, RequestCounter counter, ILogger log)
    {
        var limiter = new RateLimiter(options.RequestsPerHour, options.RequestsPerMinute, time);
        var scoped = options.TokenScopes.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var tokens = options.Tokens.Concat(scoped.Keys).ToHashSet(StringComparer.Ordinal);
        app.Use(async (context, next) =>
        {
            RequestIds.Of(context);
            if (!context.Request.Path.StartsWithSegments("/local-cloud"))
            {
                var line = context.Request.Path.Value + context.Request.QueryString.Value;
                counter.Add(context.Request.Method, line);
                log.ApiRequest(context.Request.Method, line);
            }

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

            if (scoped.TryGetValue(token, out var granted) && await ScopeGate.MissingAsync(context, granted) is { } needed)
            {
                log.ScopeMissing(context.Request.Method, context.Request.Path.Value ?? string.Empty, needed, granted.Count == 0 ? "no scope"
                    : string.Join(",", granted.Order(StringComparer.Ordinal)));
                await ApiError.Forbidden().ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }
}
