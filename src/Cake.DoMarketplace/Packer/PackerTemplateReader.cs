using System.Text.Json;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Reads a Packer JSON template of the DigitalOcean kind into a <see cref="PackerTemplate"/>: the sections Packer knows,
/// exactly one <c>digitalocean</c> builder, <c>shell</c> and <c>file</c> provisioners, no post-processors. Every field
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

    public PackerTemplate Read(DateTime started)
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
        if (builders.Count != 1)
        {
            throw error.At("builders", $"has {builders.Count} builder(s); the addin builds exactly one, of type '{DigitalOceanBuilder.Type}'");
        }

        var buildName = builders[0].ValueKind == JsonValueKind.Object && builders[0].TryGetProperty("name", out var name)
            && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : DigitalOceanBuilder.Type;
        var functions = new TemplateFunctions(started, System.IO.Path.GetDirectoryName(fullPath)!, workingDirectory, buildName, environment);
        var variables = new PackerVariables(Section(root, "variables"), overrides, functions, error);
        _ = variables.All; // a required variable without a value is refused now, as Packer does
        variables.RegisterSensitive(Section(root, "sensitive-variables"));
        var expressions = new TemplateExpressions(functions, variables.Value, error);

        if (Section(root, "post-processors") is { } post && (post.ValueKind != JsonValueKind.Array || post.GetArrayLength() > 0))
        {
            throw error.At("post-processors",
                "is not supported (the addin's snapshot is the result, and it adds validation and the image test); remove the section or leave it empty");
        }

        var builder = DigitalOceanBuilder.Read(new TemplateObject(builders[0], "builders[0]", expressions, error), localFiles);
        return new PackerTemplate(displayPath, builder, Provisioners(root, expressions, buildName), expressions);
    }

    private List<(string, object)> Provisioners(JsonElement root, TemplateExpressions expressions, string buildName)
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
            var only = provisioner.Strings("only");
            if ((only.Count == 0 || only.Contains(buildName)) && !provisioner.Strings("except").Contains(buildName))
            {
                provisioners.Add((place, read));
            }
        }

        return provisioners;
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
