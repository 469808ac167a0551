using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// The repository's 160-column limit (.editorconfig's max_line_length), which no analyzer enforces: every C# file under src/
/// and tests/ is read, and every longer line is listed.
/// </summary>
public sealed class LineLengthTests
{
    private const int Limit = 160;

    private static readonly string[] Folders = ["src", "tests"];

    [Fact]
    public void No_CSharp_line_of_src_or_tests_is_longer_than_160_columns()
    {
        var separator = Path.DirectorySeparatorChar;
        var files = Folders
            .SelectMany(folder => Directory.GetFiles(Path.Combine(RepositoryPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f))
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                        && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 100, $"expected the C# files of src/ and tests/ under {RepositoryPaths.Root}, found {files.Count}");

        var tooLong = files
            .SelectMany(f => File.ReadAllLines(Path.Combine(RepositoryPaths.Root, f))
                .Select((text, index) => (File: f, Number: index + 1, text.Length)))
            .Where(l => l.Length > Limit)
            .Select(l => $"{l.File}:{l.Number}: {l.Length} columns")
            .ToList();

        Assert.True(tooLong.Count == 0,
            $"{tooLong.Count} line(s) over {Limit} columns; wrap them as the code around them does:\n" + string.Join("\n", tooLong));
    }
}
