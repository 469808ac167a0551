using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Makes the refusals of a Packer template: a <see cref="DoSettingsException"/> whose message starts with the template's
/// path and names the field (<c>provisioners[2].type</c>), and whose <see cref="DoSettingsException.Setting"/> is that field.
/// </summary>
/// <param name="Template">The template's path as the caller gave it.</param>
internal sealed record TemplateError(string Template)
{
    public DoSettingsException At(string field, string problem) =>
        new(field, $"{Template}: {field} {problem}");

    public DoSettingsException Unsupported(string field, string value, IEnumerable<string> supported) =>
        At(field, $"'{value}' is not supported; supported: {string.Join(", ", supported)}");

    public DoSettingsException UnknownField(string field, IEnumerable<string> supported) =>
        At(field, $"is not a field the addin supports; supported here: {string.Join(", ", supported)}");
}
