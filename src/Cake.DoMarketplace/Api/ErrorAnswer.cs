using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Turns an error answer into one <see cref="DoApiException"/>: the API's JSON error (<c>id</c>, <c>message</c>,
/// <c>request_id</c>), or, for a page that is not JSON, what kind of page it is and its title.
/// </summary>
internal static partial class ErrorAnswer
{
    private const int ShownChars = 300;

    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path and query on the server, for the message.</param>
    /// <param name="call">The path as the client sent it (relative to the API address), to find the call's scope.</param>
    /// <param name="response">The error answer.</param>
    /// <param name="cancellationToken">Stops reading the answer.</param>
    public static async Task<DoApiException> ToExceptionAsync(HttpMethod method, string path, string call, HttpResponseMessage response,
        CancellationToken cancellationToken)
    {
        string? id = null, message = null, requestId = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("x-request-id", out var values))
        {
            requestId = values.FirstOrDefault();
        }

        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } type && !JsonAnswer.IsJson(type))
        {
            return DoApiException.NotJson(method, path, response.StatusCode, type, Title(text), requestId);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            id = ReadString(document.RootElement, "id");
            message = ReadString(document.RootElement, "message");
            requestId = ReadString(document.RootElement, "request_id") ?? requestId;
        }
        catch (JsonException)
        {
            message = text.Length > ShownChars ? text[..ShownChars] + "…" : text;
        }

        if (response.StatusCode == System.Net.HttpStatusCode.Forbidden && DoApiScopes.Find(method.Method, call) is { } scoped)
        {
            return new DoScopeMissingException(method, call, scoped.Scope, id, SecretRedactor.Redact(message), requestId);
        }

        return new DoApiException(method, path, response.StatusCode, id, SecretRedactor.Redact(message), requestId);
    }

    /// <summary>The page's <c>&lt;title&gt;</c>, whitespace collapsed, shortened and redacted; null when it has none.</summary>
    private static string? Title(string page)
    {
        var match = TitlePattern().Match(page);
        if (!match.Success)
        {
            return null;
        }

        var title = new StringBuilder();
        foreach (var word in match.Groups[1].Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            title.Append(title.Length == 0 ? string.Empty : " ").Append(word);
        }

        var text = title.Length > 100 ? title.ToString(0, 100) + "…" : title.ToString();
        return text.Length == 0 ? null : SecretRedactor.Redact(text);
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline, 1000)]
    private static partial Regex TitlePattern();
}
