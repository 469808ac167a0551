using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cake.DoMarketplace.Api;

/// <summary>JSON conventions of the DigitalOcean API: snake_case names, nulls omitted, ids that may be strings.</summary>
internal static class DoJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

/// <summary>Writes an image reference as a JSON number when it is a numeric id, as a string when it is a slug.</summary>
internal sealed class SlugOrIdConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
        : reader.GetString() ?? string.Empty;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            writer.WriteNumberValue(id);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>
/// Writes SSH key references as DigitalOcean's own clients do: a numeric key id as a JSON number, a fingerprint as a
/// string. Reads either back as text.
/// </summary>
internal sealed class SshKeyReferencesConverter : JsonConverter<List<string>>
{
    private static readonly SlugOrIdConverter Reference = new();

    public override List<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("ssh_keys must be an array.");
        }

        var keys = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            keys.Add(Reference.Read(ref reader, typeof(string), options));
        }

        return keys;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var key in value)
        {
            Reference.Write(writer, key, options);
        }

        writer.WriteEndArray();
    }
}
