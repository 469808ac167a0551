using System.Text.RegularExpressions;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// One public type per file of its name in the addin: a reader who sees <c>ReadinessSettings</c> in a signature finds it in
/// <c>ReadinessSettings.cs</c>. Partial types may spread over <c>Name.Part.cs</c> files (the aliases do).
/// </summary>
public sealed partial class OneTypePerFileTests
{
    // Top-level declarations only: namespaces are file-scoped (.editorconfig), so a top-level type starts at column 0.
    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|partial|readonly|unsafe|new)\s+)*"
                    + @"(?:record\s+(?:class|struct)|class|record|struct|interface|enum)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)",
        RegexOptions.Multiline)]
    private static partial Regex PublicDeclaration();

    private static string SourceFolder => Path.Combine(RepositoryPaths.Root, "src", "Cake.DoMarketplace");

    [Fact]
    public void Every_public_declaration_of_the_addin_sits_in_a_file_named_after_it()
    {
        var declarations = PublicDeclarations();
        Assert.NotEmpty(declarations);

        var misplaced = declarations
            .Where(d => !IsNamedAfter(d.File, d.Name))
            .Select(d => $"{d.Name} is declared in {d.File}; move it to {Path.Combine(Path.GetDirectoryName(d.File)!, d.Name + ".cs")}")
            .ToList();

        Assert.True(misplaced.Count == 0, "Public types in files of another name:\n" + string.Join("\n", misplaced));
    }

    [Fact]
    public void Every_public_type_of_the_addin_assembly_is_found_in_a_file_of_its_name()
    {
        var declared = PublicDeclarations().ToLookup(d => d.Name, d => d.File);
        var exported = typeof(DoMarketplaceAliases).Assembly.GetExportedTypes().Where(t => !t.IsNested).ToList();
        Assert.NotEmpty(exported);

        var missing = exported
            .Select(t => (Type: t, Name: SourceName(t)))
            .Where(t => !declared[t.Name].Any(file => IsNamedAfter(file, t.Name)))
            .Select(t => declared[t.Name].Any()
                ? $"{t.Type.FullName} is declared only in {string.Join(", ", declared[t.Name])}, not in {t.Name}.cs"
                : $"{t.Type.FullName} has no top-level 'public … {t.Name}' declaration under src/Cake.DoMarketplace")
            .ToList();

        Assert.True(missing.Count == 0, "Public types of the assembly not found in a file of their name:\n" + string.Join("\n", missing));
    }

    private static List<(string Name, string File)> PublicDeclarations()
    {
        Assert.True(Directory.Exists(SourceFolder), $"addin sources not found at {SourceFolder}");
        var separator = Path.DirectorySeparatorChar;
        return Directory.GetFiles(SourceFolder, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f))
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                        && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .SelectMany(f => PublicDeclaration().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, f)))
                .Select(m => (m.Groups["name"].Value, f)))
            .ToList();
    }

    /// <summary><c>Name.cs</c>, or <c>Name.Part.cs</c> for a partial type spread over files.</summary>
    private static bool IsNamedAfter(string file, string name)
    {
        var fileName = Path.GetFileNameWithoutExtension(file);
        return fileName == name || fileName.StartsWith(name + ".", StringComparison.Ordinal);
    }

    /// <summary>The name as written in C#: <c>Result`1</c> is declared as <c>Result&lt;T&gt;</c>.</summary>
    private static string SourceName(Type type)
    {
        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? type.Name : type.Name[..tick];
    }
}
