using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// Reads scoped tokens written as <c>TOKEN=scope1,scope2</c> (several separated by <c>;</c>), the form of
/// <c>--token-scopes</c> and <c>LOCAL_CLOUD_TOKEN_SCOPES</c>.
/// </summary>
internal static partial class TokenScopeSpec
{
    /// <summary>The environment variable holding scoped tokens.</summary>
    public const string Variable = "LOCAL_CLOUD_TOKEN_SCOPES";

    // DigitalOcean's scope names: resource, colon, verb (droplet:create, regions:read, app:access_console).
    [GeneratedRegex("^[a-z0-9_]+:[a-z_]+$")]
    private static partial Regex ScopeName();

    /// <summary>Adds every <c>TOKEN=scopes</c> entry of <paramref name="text"/>; <paramref name="source"/> names the option in errors.</summary>
    /// <exception cref="FormatException">An entry without <c>=</c>, without a token, or with a malformed scope name.</exception>
    public static void AddTo(IDictionary<string, IReadOnlyList<string>> target, string? text, string source)
    {
        foreach (var entry in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Scope names never hold '=', so the last one separates them from the token.
            var split = entry.LastIndexOf('=');
            if (split <= 0)
            {
                throw new FormatException($"{source} takes TOKEN=scope1,scope2 (such as my-token=droplet:read,sizes:read); an entry has no token or no '='.");
            }

            var scopes = entry[(split + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (scopes.FirstOrDefault(s => !ScopeName().IsMatch(s)) is { } bad)
            {
                throw new FormatException(
                    $"{source}: '{bad}' is not a DigitalOcean scope name; scopes are resource:verb, such as droplet:create or regions:read.");
            }

            target[entry[..split].Trim()] = scopes.Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The scoped tokens of <see cref="Variable"/>, if set.</summary>
    public static Dictionary<string, IReadOnlyList<string>> FromEnvironment()
    {
        var tokens = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        AddTo(tokens, Environment.GetEnvironmentVariable(Variable), Variable);
        return tokens;
    }
}
