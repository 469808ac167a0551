using System.Reflection;
using System.Xml.Linq;
using Cake.Core.Annotations;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// What a Cake user reads of an alias is the compiled XML file beside the addin, not the source: shared text pulled in with
/// <c>&lt;include&gt;</c> must arrive there, and an <c>&lt;inheritdoc&gt;</c> would arrive unresolved (the compiler copies
/// it as it is). Every alias in that file has its summary, each parameter, its return value, its own example and its
/// exceptions, the base <see cref="DoMarketplaceException"/> last.
/// </summary>
public sealed class AliasDocsTests
{
    private static readonly string[] UnresolvedTags = ["inheritdoc", "include"];

    [Fact]
    public void Every_alias_is_fully_documented_in_the_compiled_xml_file()
    {
        var file = Path.ChangeExtension(typeof(DoMarketplaceAliases).Assembly.Location, ".xml");
        Assert.True(File.Exists(file), $"the addin's XML documentation {file} was not found beside the assembly");
        var members = XDocument.Load(file).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal);
        var aliases = typeof(DoMarketplaceAliases).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetCustomAttribute<CakeMethodAliasAttribute>() is not null)
            .ToList();
        Assert.True(aliases.Count > 50, $"expected the addin's aliases, found {aliases.Count}");

        var faults = aliases.SelectMany(alias => Faults(alias, members)).ToList();

        Assert.True(faults.Count == 0, $"{faults.Count} gap(s) in the aliases' compiled docs ({file}):\n" + string.Join("\n", faults));
    }

    private static IEnumerable<string> Faults(MethodInfo alias, Dictionary<string, XElement> members)
    {
        var id = $"M:{typeof(DoMarketplaceAliases).FullName}.{alias.Name}({string.Join(",", alias.GetParameters().Select(p => DocId(p.ParameterType)))})";
        if (!members.TryGetValue(id, out var member))
        {
            yield return $"{id}: no entry";
            yield break;
        }

        var name = $"{alias.Name}({string.Join(", ", alias.GetParameters().Select(p => p.ParameterType.Name))})";
        foreach (var unresolved in UnresolvedTags.Where(tag => member.Descendants(tag).Any()))
        {
            yield return $"{name}: <{unresolved}> left unresolved";
        }

        if (Text(member.Element("summary")).Length == 0)
        {
            yield return $"{name}: no summary";
        }

        foreach (var parameter in alias.GetParameters())
        {
            if (Text(member.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == parameter.Name)).Length == 0)
            {
                yield return $"{name}: parameter '{parameter.Name}' undocumented";
            }
        }

        if (alias.ReturnType != typeof(void) && Text(member.Element("returns")).Length == 0)
        {
            yield return $"{name}: return value undocumented";
        }

        if (Text(member.Element("example")?.Element("code")).Length == 0)
        {
            yield return $"{name}: no example";
        }

        var exceptions = member.Elements("exception").Select(e => (string?)e.Attribute("cref")).ToList();
        if (exceptions.Count < 2 || exceptions[^1] != $"T:{typeof(DoMarketplaceException).FullName}")
        {
            yield return $"{name}: exceptions [{string.Join(", ", exceptions)}] do not end with the base DoMarketplaceException";
        }
    }

    private static string Text(XElement? element) => element is null ? string.Empty : string.Concat(element.DescendantNodes().OfType<XText>()).Trim();

    // The documentation id of a parameter type: Action{Cake.DoMarketplace.Ssh.RemoteCommandSettings}, System.Int64, ...
    private static string DocId(Type type) =>
        type.IsGenericType
            ? $"{type.GetGenericTypeDefinition().FullName![..type.GetGenericTypeDefinition().FullName!.IndexOf('`', StringComparison.Ordinal)]}"
              + $"{{{string.Join(",", type.GetGenericArguments().Select(DocId))}}}"
            : type.FullName!.Replace('+', '.');
}
