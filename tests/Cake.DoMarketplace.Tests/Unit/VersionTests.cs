using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>One version number: the #addin and #tool lines of the examples and the README pin the version the build packs.</summary>
public sealed partial class VersionTests
{
    [GeneratedRegex(@"#(?:addin nuget|tool dotnet):\?package=Cake\.DoMarketplace(?:\.LocalCloud)?&version=([^&\s]+)")]
    private static partial Regex AddinLine();

    [Fact]
    public void Every_addin_line_pins_the_version_of_Directory_Build_props()
    {
        var root = RepositoryRoot();
        var version = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("Version").Single().Value;
        var files = Directory.GetFiles(Path.Combine(root, "examples"), "build.cake", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}tools{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Append(Path.Combine(root, "README.md"))
            .ToList();
        var pins = files.SelectMany(f
            => AddinLine().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetRelativePath(root, f), Version: m.Groups[1].Value))).ToList();

        Assert.True(pins.Count >= 4, $"expected #addin lines in the examples and README, found {pins.Count}");
        Assert.All(pins, p => Assert.True(p.Version == version, $"{p.File} pins {p.Version}, Directory.Build.props says {version}"));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Cake.DoMarketplace.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new DirectoryNotFoundException("Cake.DoMarketplace.sln not found above " + AppContext.BaseDirectory);
    }
}
