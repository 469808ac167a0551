namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>
/// One entry of <see cref="FaultOptions.MalformedPaths"/>: <c>[METHOD ]path</c>, the path exact or, ending in <c>*</c>, a
/// prefix. An entry with a query (<c>GET /v2/droplets?tag_name=*</c>) is matched against path and query; one without
/// against the path alone.
/// </summary>
internal sealed record MalformedRoute(string? Method, string Path, bool IsPrefix)
{
    public static MalformedRoute Parse(string text)
    {
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var (method, path) = parts.Length == 2 ? (parts[0].ToUpperInvariant(), parts[1]) : ((string?)null, parts[0]);
        if (!path.StartsWith('/'))
        {
            throw new FormatException($"MalformedPaths entry '{text}' must be [METHOD ]/path, like 'POST /v2/droplets' or 'GET /v2/droplets/*'.");
        }

        return path.EndsWith('*') ? new MalformedRoute(method, path[..^1], true) : new MalformedRoute(method, path, false);
    }

    public static IReadOnlyList<MalformedRoute> ParseAll(IEnumerable<string> entries) => entries.Select(Parse).ToList();

    /// <summary>True when no routes are given (every request matches) or one of them matches.</summary>
    public static bool AnyMatches(IReadOnlyList<MalformedRoute> routes, string method, string pathAndQuery) =>
        routes.Count == 0 || routes.Any(r => r.Matches(method, pathAndQuery));

    public bool Matches(string method, string pathAndQuery)
    {
        var target = Path.Contains('?', StringComparison.Ordinal) ? pathAndQuery : pathAndQuery.Split('?')[0];
        return (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
            && (IsPrefix ? target.StartsWith(Path, StringComparison.Ordinal) : string.Equals(target, Path, StringComparison.Ordinal));
    }
}
