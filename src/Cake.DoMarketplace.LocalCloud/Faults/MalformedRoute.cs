namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>
/// One entry of <see cref="FaultOptions.MalformedPaths"/>: <c>[METHOD ]path</c>, the path exact or, ending in <c>*</c>, a
/// prefix.
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
    public static bool AnyMatches(IReadOnlyList<MalformedRoute> routes, string method, string path) =>
        routes.Count == 0 || routes.Any(r => r.Matches(method, path));

    public bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (IsPrefix ? path.StartsWith(Path, StringComparison.Ordinal) : string.Equals(path, Path, StringComparison.Ordinal));
}
