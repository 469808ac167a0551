using System.Text.Json;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Reads a Packer JSON template of the DigitalOcean kind into a <see cref="PackerTemplate"/>: the sections Packer knows,
/// one or more <c>digitalocean</c> builders (each with its own name), <c>shell</c> and <c>file</c> provisioners, no post-processors. Every field
/// it cannot honour is refused here, with the template and the field named, before any droplet exists. Relative paths
/// start at <paramref name="workingDirectory"/>; the template and every file it names are read through <paramref name="files"/>.
/// </summary>
internal sealed class PackerTemplateReader(IFileSystem files, string displayPath, string fullPath, string workingDirectory,
    IReadOnlyDictionary<string, string> overrides, Func<string, string?> environment)
{
    private static readonly string[] Sections = ["variables", "sensitive-variables", "builders", "provisioners", "post-processors", "description",
        "min_packer_version"];
    private static readonly string[] ProvisionerTypes = [ShellProvisioner.Type, FileProvisioner.Type];
    private readonly TemplateError error = new(displayPath);
    private readonly TemplateFiles localFiles = new(files, workingDirectory);

    /// <summary>The template's builds: one per selected builder (<paramref name="only"/>, <paramref name="except"/>), in its order.</summary>
    public IReadOnlyList<PackerTemplate> Read(DateTime started, IReadOnlyCollection<string> only, IReadOnlyCollection<string> except)
    {
        if (fullPath.EndsWith(".hcl", StringComparison.OrdinalIgnoreCase))
        {
            throw error.At("(format)", "is an HCL2 template; the addin reads Packer's JSON templates (marketplace-image.json, template.json)");
        }

        if (!files.FileExists(fullPath))
        {
            throw new DoSettingsException("template", $"{displayPath}: the Packer template '{fullPath}' does not exist.");
        }

        using var document = Parse(files.ReadAllText(fullPath));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw error.At("(root)", "must be a JSON object with 'builders' and 'provisioners'");
        }

        foreach (var section in root.EnumerateObject().Where(s => !s.Name.StartsWith('_') && !Sections.Contains(s.Name)))
        {
            throw error.UnknownField(section.Name, Sections);
        }

        var builders = Section(root, "builders") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray().ToList() : [];
        if (builders.Count == 0)
        {
            throw error.At("builders", $"has 0 builder(s); the addin builds one or more, of type '{DigitalOceanBuilder.Type}'");
        }

        var names = BuilderNames(builders);
        var selected = BuilderSelection.Select(displayPath, names, only, except);

        // Variables are resolved once for all builders, as in Packer, which refuses {{build_name}} there ("build_name not available").
        var templateDirectory = System.IO.Path.GetDirectoryName(fullPath)!;
        TemplateFunctions Functions(string? buildName) => new(started, templateDirectory, workingDirectory, buildName, environment);
        var variables = new PackerVariables(Section(root, "variables"), overrides, Functions(null), error);
        _ = variables.All; // a required variable without a value is refused now, as Packer does
        variables.RegisterSensitive(Section(root, "sensitive-variables"));

        if (Section(root, "post-processors") is { } post && (post.ValueKind != JsonValueKind.Array || post.GetArrayLength() > 0))
        {
            throw error.At("post-processors",
                "is not supported (the addin's snapshot is the result, and it adds validation and the image test); remove the section or leave it empty");
        }

        // Every builder and every provisioner is read, each with its builder's {{build_name}}; those not selected are checked, not kept.
        var builds = new List<PackerTemplate>();
        for (var index = 0; index < builders.Count; index++)
        {
            var expressions = new TemplateExpressions(Functions(names[index]), variables.Value, error);
            var place = $"builders[{index}]";
            var builder = DigitalOceanBuilder.Read(new TemplateObject(builders[index], place, expressions, error), localFiles) with { Name = names[index] };
            var build = new PackerTemplate(displayPath, place, builder, Provisioners(root, expressions, names[index], names), expressions);
            if (selected.Contains(index))
            {
                builds.Add(build);
            }
        }

        return builds;
    }

    /// <summary>
    /// Each builder's name: its <c>name</c>, else its <c>type</c>, as in Packer, which refuses two builders of one name
    /// (<c>builder 2: builder with name 'digitalocean' already exists</c>).
    /// </summary>
    private List<string> BuilderNames(List<JsonElement> builders)
    {
        var names = new List<string>();
        for (var index = 0; index < builders.Count; index++)
        {
            var element = builders[index];
            string? Field(string field) =>
                element.ValueKind == JsonValueKind.Object && element.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            var name = Field("name") is { Length: > 0 } given ? given : Field("type") ?? DigitalOceanBuilder.Type;
            var first = names.IndexOf(name);
            if (first >= 0)
            {
                throw error.At($"builders[{index}].name",
                    $"is '{name}', the name of builders[{first}] too (a builder without a name is named after its type); as Packer requires, give each "
                    + "builder its own name, such as \"debian-12\" and \"debian-13\"");
            }

            names.Add(name);
        }

        return names;
    }

    private List<(string, object)> Provisioners(JsonElement root, TemplateExpressions expressions, string buildName, List<string> builderNames)
    {
        var provisioners = new List<(string, object)>();
        if (Section(root, "provisioners") is not { } section)
        {
            return provisioners;
        }

        if (section.ValueKind != JsonValueKind.Array)
        {
            throw error.At("provisioners", "must be a list");
        }

        var index = 0;
        foreach (var element in section.EnumerateArray())
        {
            var place = $"provisioners[{index++}]";
            var provisioner = new TemplateObject(element, place, expressions, error);
            var type = provisioner.Raw("type") ?? throw error.At(provisioner.Field("type"), "is missing; supported: shell, file");
            if (!ProvisionerTypes.Contains(type))
            {
                throw error.Unsupported(provisioner.Field("type"), type, ProvisionerTypes);
            }

            object read = type == ShellProvisioner.Type
                ? ShellProvisioner.Read(provisioner, localFiles, expressions)
                : FileProvisioner.Read(provisioner, localFiles);
            var only = BuilderFilter(provisioner, "only", builderNames);
            var except = BuilderFilter(provisioner, "except", builderNames);
            if (only.Count > 0 && except.Count > 0)
            {
                throw error.At(provisioner.Field("only"), "and except are both set; as in Packer, use one of them");
            }

            if ((only.Count == 0 || only.Contains(buildName)) && !except.Contains(buildName))
            {
                provisioners.Add((place, read));
            }
        }

        return provisioners;
    }

    /// <summary>A provisioner's <c>only</c> or <c>except</c>: builder names, each of which must be a builder of the template (as in Packer).</summary>
    private IReadOnlyList<string> BuilderFilter(TemplateObject provisioner, string field, List<string> builderNames)
    {
        var names = provisioner.Strings(field);
        for (var index = 0; index < names.Count; index++)
        {
            if (!builderNames.Contains(names[index]))
            {
                throw error.At($"{provisioner.Field(field)}[{index}]",
                    $"names '{names[index]}', which is not a builder of this template; its builders: {string.Join(", ", builderNames)}");
            }
        }

        return names;
    }

    private static JsonElement? Section(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private JsonDocument Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw error.At("(JSON)", $"is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message.Split(" Path:")[0]}");
        }
    }
}
