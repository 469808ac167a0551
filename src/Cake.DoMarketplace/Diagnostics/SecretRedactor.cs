using System.Collections.Concurrent;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Remembers the secrets of this process (API tokens) and removes them from any text before it is logged or thrown.
/// </summary>
internal static class SecretRedactor
{
    private const string Mask = "***";
    private static readonly ConcurrentDictionary<string, byte> Secrets = new(StringComparer.Ordinal);

    /// <summary>Adds a secret to redact from now on. Short values are ignored so that ordinary words are never masked.</summary>
    public static void Register(string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 8)
        {
            Secrets.TryAdd(secret, 0);
        }
    }

    /// <summary>Returns <paramref name="text"/> with every registered secret replaced by <c>***</c>.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || Secrets.IsEmpty)
        {
            return text ?? string.Empty;
        }

        foreach (var secret in Secrets.Keys)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
