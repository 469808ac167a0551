namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// Which room a type of one project lives in: the namespace segment after the project's root namespace
/// (<c>Cake.DoMarketplace.Api.Models</c> is in Api). A type in the root namespace itself (the aliases, which Cake users
/// reach without a <c>using</c>, and <c>DoMarketplaceException</c>) is placed by the folder of its file; a type of the
/// compiler's (<c>&lt;PrivateImplementationDetails&gt;</c>, embedded attributes, generated regexes) is in no room.
/// </summary>
internal sealed class RoomMap(string rootNamespace, string projectFolder)
{
    private readonly Dictionary<DefinedType, string> byFile = [];

    /// <summary>The room, the empty name for the project's root folder, or null for the compiler's types.</summary>
    public string? RoomOf(DefinedType type)
    {
        if (type.Name.StartsWith('<'))
        {
            return null;
        }

        if (type.Namespace.Length == 0 || type.Namespace == rootNamespace)
        {
            return FolderOfFile(type);
        }

        if (!type.Namespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        return type.Namespace[(rootNamespace.Length + 1)..].Split('.')[0];
    }

    private string FolderOfFile(DefinedType type)
    {
        if (byFile.TryGetValue(type, out var known))
        {
            return known;
        }

        var separator = Path.DirectorySeparatorChar;
        var folders = Directory.GetFiles(projectFolder, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(projectFolder, f))
            .Where(f => !f.StartsWith($"obj{separator}", StringComparison.Ordinal) && !f.StartsWith($"bin{separator}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) == type.Name + ".cs" || Path.GetFileName(f).StartsWith(type.Name + ".", StringComparison.Ordinal))
            .Select(f => f.Contains(separator, StringComparison.Ordinal) ? f[..f.IndexOf(separator, StringComparison.Ordinal)] : "")
            .Distinct()
            .ToList();
        if (folders.Count != 1)
        {
            throw new InvalidOperationException(
                $"{type.Name} is in the root namespace {rootNamespace}, so its room is the folder of {type.Name}.cs; "
                + $"found {folders.Count} such folders under {projectFolder} ({string.Join(", ", folders)}).");
        }

        return byFile[type] = folders[0];
    }
}
