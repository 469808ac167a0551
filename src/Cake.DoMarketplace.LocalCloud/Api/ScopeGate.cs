using System.Text.Json;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>Whether a scoped token may make a request, by <see cref="ScopeTable"/>.</summary>
internal static class ScopeGate
{
    /// <summary>What the request needs and the token lacks, for the log; null when the token may make it.</summary>
    public static async Task<string?> MissingAsync(HttpContext context, IReadOnlySet<string> granted)
    {
        var method = context.Request.Method;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (ScopeTable.For(method, route) is not { } anyOf)
        {
            return null;
        }

        if (!anyOf.Any(granted.Contains))
        {
            return anyOf.Count == 0 ? "a full-access token" : string.Join(" or ", anyOf);
        }

        var fields = ScopeTable.ForBody(method, route).Where(f => !granted.Contains(f.Scope)).ToList();
        if (fields.Count == 0)
        {
            return null;
        }

        var present = await NonEmptyArraysAsync(context.Request);
        var lacking = fields.Where(f => present.Contains(f.Field)).Select(f => $"{f.Scope} (for {f.Field})").ToList();
        return lacking.Count == 0 ? null : string.Join(", ", lacking);
    }

    // The body stays readable for the endpoint: buffered, read, rewound.
    private static async Task<HashSet<string>> NonEmptyArraysAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() > 0)
                    .Select(p => p.Name)
                    .ToHashSet(StringComparer.Ordinal)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
