using System.Text.Json;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// The template's user variables: the defaults of <c>variables</c> (which may use <c>{{env}}</c>, <c>{{timestamp}}</c>
/// and other variables), replaced by the caller's <see cref="PackerTemplateSettings.Variables"/> (Packer's <c>-var</c>,
/// taken as they are). A variable whose default is <c>null</c> is required. The values of <c>sensitive-variables</c> are
/// registered with <see cref="SecretRedactor"/>, so no log line or error shows them.
/// </summary>
internal sealed class PackerVariables
{
    private const string OverrideSetting = nameof(PackerTemplateSettings) + "." + nameof(PackerTemplateSettings.Variables);

    private readonly Dictionary<string, string?> defaults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> resolving = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> overrides;
    private readonly TemplateExpressions defaultsExpressions;
    private readonly TemplateError error;

    public PackerVariables(JsonElement? variables, IReadOnlyDictionary<string, string> overrides, TemplateFunctions functions, TemplateError error)
    {
        this.overrides = overrides;
        this.error = error;
        defaultsExpressions = new TemplateExpressions(functions, Value, error);
        if (variables is { } section)
        {
            if (section.ValueKind != JsonValueKind.Object)
            {
                throw error.At("variables", "must be an object of names and default values");
            }

            foreach (var variable in section.EnumerateObject())
            {
                defaults[variable.Name] = variable.Value.ValueKind switch
                {
                    JsonValueKind.String => variable.Value.GetString(),
                    JsonValueKind.Null => null,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => variable.Value.GetRawText(),
                    _ => throw error.At($"variables.{variable.Name}", "must be a string (or null for a required variable)"),
                };
            }
        }

        foreach (var name in overrides.Keys.Where(name => !defaults.ContainsKey(name)))
        {
            throw new DoSettingsException($"{OverrideSetting}[\"{name}\"]",
                $"{OverrideSetting}[\"{name}\"]: {error.Template} declares no variable '{name}' (it declares: "
                    + $"{(defaults.Count == 0 ? "none" : string.Join(", ", defaults.Keys))}); add it to 'variables' or remove the override.");
        }
    }

    /// <summary>Every variable, resolved (for the log, with sensitive values already registered).</summary>
    public IReadOnlyDictionary<string, string> All
        => defaults.Keys.ToDictionary(name => name, name => Value(name, $"variables.{name}"), StringComparer.Ordinal);

    /// <summary>Registers the values of the variables named in <c>sensitive-variables</c> as secrets.</summary>
    public void RegisterSensitive(JsonElement? sensitive)
    {
        if (sensitive is not { } list)
        {
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw error.At("sensitive-variables", "must be a list of variable names");
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"sensitive-variables[{index++}]";
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : throw error.At(field, "must be a variable name");
            if (!defaults.ContainsKey(name))
            {
                throw error.At(field, $"names '{name}', which is not declared in 'variables'");
            }

            SecretRedactor.Register(Value(name, field));
        }
    }

    /// <summary>The value of <c>{{user `name`}}</c>, used in <paramref name="field"/>.</summary>
    public string Value(string name, string field)
    {
        if (values.TryGetValue(name, out var known))
        {
            return known;
        }

        if (overrides.TryGetValue(name, out var given))
        {
            return values[name] = given ?? string.Empty;
        }

        if (!defaults.TryGetValue(name, out var template))
        {
            throw error.At(field, $"uses the user variable '{name}', which is not declared in 'variables'");
        }

        if (template is null)
        {
            throw new DoSettingsException($"{OverrideSetting}[\"{name}\"]",
                $"{error.Template}: variables.{name} is required (its default is null): set {OverrideSetting}[\"{name}\"].");
        }

        if (!resolving.Add(name))
        {
            throw error.At($"variables.{name}", $"refers to itself through other variables ({string.Join(" -> ", resolving)} -> {name})");
        }

        var value = defaultsExpressions.Evaluate(template, new TemplateExpressions.Place($"variables.{name}", AllowEnv: true));
        resolving.Remove(name);
        return values[name] = value;
    }
}
