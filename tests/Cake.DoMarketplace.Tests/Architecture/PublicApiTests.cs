using System.Reflection;
using System.Text;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// The addin's public surface is written down in src/Cake.DoMarketplace/PublicApi.txt: a type or member made public, removed
/// or changed by accident (a break for every build.cake using it) fails here with the difference. Set UPDATE_PUBLIC_API=1 to
/// rewrite the file from the assembly; the test still fails then, so the new file is reviewed and committed on purpose.
/// </summary>
public sealed class PublicApiTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static
                                          | BindingFlags.DeclaredOnly;

    private static string ApiFile => Path.Combine(RepositoryPaths.Root, "src", "Cake.DoMarketplace", "PublicApi.txt");

    [Fact]
    public void The_public_API_of_the_addin_is_the_one_in_PublicApi_txt()
    {
        var actual = Surface(typeof(DoMarketplaceAliases).Assembly);
        Assert.Contains(actual, l => l.StartsWith("type Cake.DoMarketplace.DoMarketplaceAliases", StringComparison.Ordinal));

        if (Environment.GetEnvironmentVariable("UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(ApiFile, string.Join("\n", actual) + "\n");
            Assert.Fail($"UPDATE_PUBLIC_API=1: {ApiFile} rewritten with {actual.Count} lines; review the change, commit it, run again without it.");
        }

        Assert.True(File.Exists(ApiFile), $"{ApiFile} not found; create it with UPDATE_PUBLIC_API=1");
        var expected = File.ReadAllLines(ApiFile).Where(l => l.Length > 0).ToList();
        var added = actual.Except(expected, StringComparer.Ordinal).ToList();
        var removed = expected.Except(actual, StringComparer.Ordinal).ToList();

        Assert.True(added.Count == 0 && removed.Count == 0,
            "The addin's public API differs from src/Cake.DoMarketplace/PublicApi.txt (every public type and member a build.cake can use).\n"
            + string.Concat(added.Select(l => $"+ {l}\n")) + string.Concat(removed.Select(l => $"- {l}\n"))
            + "If the change is meant (and users may lose what is removed), update the file: run this test with UPDATE_PUBLIC_API=1, "
            + "review and commit PublicApi.txt. Otherwise make the type or member internal again.");
    }

    [Fact]
    public void The_surface_lists_public_members_and_leaves_internal_types_out()
    {
        var surface = Surface(typeof(DoMarketplaceAliases).Assembly);

        Assert.Contains(surface, l => l.StartsWith("method Cake.DoMarketplace.DoMarketplaceAliases.DoBuildImage(", StringComparison.Ordinal));
        Assert.DoesNotContain(surface, l => l.Contains("Cake.DoMarketplace.Ssh.ShellQuote", StringComparison.Ordinal));
        Assert.Equal(surface.Order(StringComparer.Ordinal), surface);
    }

    internal static List<string> Surface(Assembly assembly) =>
        assembly.GetExportedTypes()
            .SelectMany(Describe)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<string> Describe(Type type)
    {
        var name = Name(type);
        var bases = new[] { type.BaseType }
            .Where(b => b is not null && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
            .Select(b => Name(b!))
            .Concat(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal))
            .ToList();
        yield return $"type {name} : {Kind(type)}{(bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases))}";

        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"enum {name}.{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (var member in type.GetMembers(Declared).Where(m => !m.Name.Contains('<', StringComparison.Ordinal)))
        {
            var line = member switch
            {
                ConstructorInfo c when Visible(c) => $"ctor {name}({Parameters(c)})",
                MethodInfo m when Visible(m) && !m.IsSpecialName =>
                    $"method {name}.{m.Name}{Generic(m)}({Parameters(m)}) : {Name(m.ReturnType)}{(m.IsStatic ? " static" : string.Empty)}",
                MethodInfo m when Visible(m) && m.Name.StartsWith("op_", StringComparison.Ordinal) =>
                    $"operator {name}.{m.Name}({Parameters(m)}) : {Name(m.ReturnType)}",
                PropertyInfo p when Accessors(p).Length > 0 =>
                    $"property {name}.{p.Name}{Indexer(p)} : {Name(p.PropertyType)} {{ {string.Join(" ", Accessors(p))} }}",
                FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly =>
                    $"field {name}.{f.Name} : {Name(f.FieldType)}{(f.IsLiteral ? " const" : f.IsInitOnly ? " readonly" : string.Empty)}",
                EventInfo e when e.AddMethod is { } add && Visible(add) => $"event {name}.{e.Name} : {Name(e.EventHandlerType!)}",
                _ => null,
            };
            if (line is not null)
            {
                yield return line;
            }
        }
    }

    private static bool Visible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string[] Accessors(PropertyInfo property) =>
        new[] { (Method: property.GetMethod, Word: "get"), (Method: property.SetMethod, Word: IsInit(property) ? "init" : "set") }
            .Where(a => a.Method is not null && Visible(a.Method))
            .Select(a => (a.Method!.IsFamily ? "protected " : string.Empty) + a.Word)
            .ToArray();

    private static bool IsInit(PropertyInfo property) =>
        property.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit") == true;

    private static string Indexer(PropertyInfo property) =>
        property.GetIndexParameters() is { Length: > 0 } index ? "[" + string.Join(", ", index.Select(p => Name(p.ParameterType))) + "]" : string.Empty;

    private static string Kind(Type type) => type switch
    {
        { IsInterface: true } => "interface",
        { IsEnum: true } => "enum",
        { IsValueType: true } => "struct",
        { IsAbstract: true, IsSealed: true } => "static class",
        { IsAbstract: true } => "abstract class",
        { IsSealed: true } => "sealed class",
        _ => "class",
    };

    private static string Generic(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p =>
        {
            var text = new StringBuilder();
            if (p.Position == 0 && method.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute), false))
            {
                text.Append("this ");
            }

            text.Append(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : string.Empty)
                .Append(Name(p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType))
                .Append(' ').Append(p.Name);
            if (p.HasDefaultValue)
            {
                text.Append(" = ").Append(p.DefaultValue switch
                {
                    null => "null",
                    string s => $"\"{s}\"",
                    bool b => b ? "true" : "false",
                    IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    var other => other.ToString(),
                });
            }

            return text.ToString();
        }));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        var full = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : $"{type.Namespace}.{type.Name}";
        if (!type.IsGenericType)
        {
            return full;
        }

        var tick = full.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? full : full[..tick]) + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }
}
