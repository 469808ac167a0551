using System.Text.Json;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// One JSON object of the template (a builder, a provisioner) read field by field: each value is checked for its type
/// and its string values evaluated, each error names the field's path (<c>provisioners[2].inline[0]</c>), and
/// <see cref="RefuseUnknown"/> refuses every field the addin does not read.
/// </summary>
internal sealed class TemplateObject
{
    private readonly JsonElement element;
    private readonly TemplateExpressions expressions;

    public TemplateObject(JsonElement element, string path, TemplateExpressions expressions, TemplateError error)
    {
        Path = path;
        Error = error;
        this.expressions = expressions;
        this.element = element.ValueKind == JsonValueKind.Object ? element : throw error.At(path, "must be an object");
    }

    public string Path { get; }

    public TemplateError Error { get; }

    public string Field(string name) => $"{Path}.{name}";

    public bool Has(string name) => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The field's text as written (numbers too), not evaluated; null when absent.</summary>
    public string? Raw(string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Number ? value.GetRawText()
        : throw Error.At(Field(name), "must be a string");

    /// <summary>The field's string, evaluated; null when absent.</summary>
    public string? String(string name) => Raw(name) is { } text ? expressions.Evaluate(text, new(Field(name))) : null;

    public bool? Bool(string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : value.ValueKind == JsonValueKind.String && bool.TryParse(expressions.Evaluate(value.GetString()!, new(Field(name))), out var parsed) ? parsed
        : throw Error.At(Field(name), "must be true or false");

    public TimeSpan? Duration(string name) =>
        String(name) is not { } text ? null
        : GoDuration.TryParse(text, out var duration) ? duration
        : throw Error.At(Field(name), $"'{text}' is not a duration; write it as Packer does, for example \"6m\", \"1h30m\" or \"90s\"");

    public IReadOnlyList<string> Strings(string name) =>
        Items(name).Select((item, index) => item.ValueKind == JsonValueKind.String
            ? expressions.Evaluate(item.GetString()!, new($"{Field(name)}[{index}]"))
            : throw Error.At($"{Field(name)}[{index}]", "must be a string")).ToList();

    public IReadOnlyList<int> Integers(string name) =>
        Items(name).Select((item, index) => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var number)
            ? number
            : throw Error.At($"{Field(name)}[{index}]", "must be a whole number")).ToList();

    /// <summary>Refuses the first field not in <paramref name="supported"/>.</summary>
    public void RefuseUnknown(IReadOnlyCollection<string> supported)
    {
        foreach (var property in element.EnumerateObject().Where(p => !supported.Contains(p.Name)))
        {
            throw Error.UnknownField(Field(property.Name), supported);
        }
    }

    private List<JsonElement> Items(string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList()
        : throw Error.At(Field(name), "must be a list");
}
