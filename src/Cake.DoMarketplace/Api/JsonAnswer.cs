using System.Text.Json;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Turns a buffered success answer into typed values, or into one <see cref="DoApiProtocolException"/> saying what was
/// wrong: not JSON, JSON that does not parse, a missing or null property, a required field missing.
/// </summary>
internal static class JsonAnswer
{
    public static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses a success answer whose body is declared as something else than JSON (no type is accepted).</summary>
    public static void CheckContentType(ApiCall call, HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentLength is > 0 && response.Content.Headers.ContentType?.MediaType is { } type && !IsJson(type))
        {
            throw call.Error(
                $"{type} ({(int)call.Status}) instead of JSON: something between this machine and the API (a proxy, gateway or captive portal) may have "
                + "answered in its place");
        }
    }

    public static async Task<JsonDocument> ParseAsync(ApiCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            throw call.Error($"an empty body ({(int)call.Status}) instead of JSON");
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw call.Error($"JSON that does not parse ({(int)call.Status}, {body.Length} bytes; cut off or corrupt): {e.Message}", e);
        }
    }

    /// <summary>The object under <paramref name="property"/>, checked for its required fields.</summary>
    public static T Property<T>(ApiCall call, JsonElement root, string property)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(property, out var element))
        {
            throw call.Error($"no '{property}' property ({(int)call.Status})");
        }

        if (element.ValueKind == JsonValueKind.Null)
        {
            throw call.Error($"a null '{property}' ({(int)call.Status})");
        }

        if (RequiredFields.FirstMissing(element, typeof(T)) is { } missing)
        {
            throw call.Error($"a '{property}' lacking the required field '{missing}' ({(int)call.Status})");
        }

        return Deserialize<T>(call, element, $"'{property}'");
    }

    /// <summary>The items of a list page's <paramref name="collection"/>, each checked; none when the page has none.</summary>
    public static IReadOnlyList<T> Items<T>(ApiCall call, JsonElement root, string collection)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(collection, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw call.Error($"a '{collection}' that is not a list ({(int)call.Status})");
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            if (RequiredFields.FirstMissing(item, typeof(T)) is { } missing)
            {
                throw call.Error($"a '{collection}' item (#{index} of the page) lacking the required field '{missing}' ({(int)call.Status})");
            }
        }

        return Deserialize<List<T>>(call, array, $"'{collection}'");
    }

    private static T Deserialize<T>(ApiCall call, JsonElement element, string what)
    {
        try
        {
            return element.Deserialize<T>(DoJson.Options) ?? throw call.Error($"a null {what} ({(int)call.Status})");
        }
        catch (JsonException e)
        {
            throw call.Error($"a {what} that does not match DigitalOcean's schema ({(int)call.Status}): {e.Message}", e);
        }
    }
}
