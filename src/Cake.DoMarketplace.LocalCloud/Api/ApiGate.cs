namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// What every request passes first: a request id, the bearer token, the per-token rate limit, the token's scopes
/// (<see cref="ScopeGate"/>; an entry in <c>tokenScopes</c> limits a token even when it is in <c>tokens</c> too).
/// It takes the options' values, not the options, so the API layer does not reach back up to the command line.
/// </summary>
internal static class ApiGate
{
    public static void Use(
        WebApplication app,
        IEnumerable<string> tokens,
        IDictionary<string, IReadOnlyList<string>> tokenScopes,
        RateLimiter limiter,
        RequestCounter counter,
        ILogger log)
    {
        var scoped = tokenScopes.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var known = tokens.Concat(scoped.Keys).ToHashSet(StringComparer.Ordinal);
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
            if (token is null || !known.Contains(token))
            {
                await ApiError.Unauthorized().ExecuteAsync(context);
                return;
            }

            if (!limiter.Admit(token, context.Response))
            {
                counter.AddTooManyRequests();
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
