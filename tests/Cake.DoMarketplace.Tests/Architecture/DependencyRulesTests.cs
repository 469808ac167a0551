using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// docs/architecture.md's "may use" tables are the dependency rules, and the compiled assemblies keep them: every use of
/// one room's type by another room (signatures, attributes, fields, locals, catch clauses, the IL of every body) must be
/// one the table allows. The table is the only copy of the rules; this test holds none of its own.
/// </summary>
public sealed class DependencyRulesTests
{
    private const string AddinHeading = "## The addin: rooms and what each may use";
    private const string LocalCloudHeading = "## The local cloud: layers";

    private static string Architecture => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "architecture.md"));

    [Fact]
    public void The_addin_uses_across_its_rooms_only_what_docs_architecture_md_allows() =>
        AssertKeeps("Cake.DoMarketplace", AddinHeading);

    [Fact]
    public void The_local_cloud_uses_across_its_layers_only_what_docs_architecture_md_allows() =>
        AssertKeeps("Cake.DoMarketplace.LocalCloud", LocalCloudHeading);

    [Fact]
    public void A_table_stricter_than_the_code_gets_every_crossing_reported_one_line_each()
    {
        var real = RulesTable.Read(Architecture, AddinHeading);
        var rows = real.Rooms.Select(r => $"| `{(r.Length == 0 ? "." : r)}/` | nothing of ours |");
        var strict = RulesTable.Read(string.Join("\n", ["## strict", "| folder | may use |", "|---|---|", .. rows]), "## strict");
        var (_, uses) = TypeUses.Read(AssemblyPath("Cake.DoMarketplace"));

        var breaches = DependencyRules.Breaches(strict, uses, Rooms("Cake.DoMarketplace"));

        Assert.Contains("Aliases uses Pipeline (DoMarketplaceAliases → MarketplaceImagePipeline)", breaches);
        Assert.Contains(breaches, b => b.StartsWith("Pipeline uses Droplets (", StringComparison.Ordinal));
        Assert.DoesNotContain(breaches, b => b.StartsWith("(root) uses ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Cake.DoMarketplace")]
    [InlineData("Cake.DoMarketplace.LocalCloud")]
    public void The_rooms_form_layers_with_no_loop_between_them(string assembly)
    {
        var (_, uses) = TypeUses.Read(AssemblyPath(assembly));

        var loops = DependencyRules.Loops(uses, Rooms(assembly));

        Assert.True(loops.Count == 0, $"{assembly}'s rooms use each other in a loop ({loops.Count}):\n" + string.Join("\n", loops));
    }

    [Fact]
    public void The_table_reader_drops_remarks_and_reads_every_room_below_and_nothing_of_ours()
    {
        const string Markdown = """
            ## Rooms
            Some words.

            | folder | what | may use |
            |---|---|---|
            | `./` | the entry point | every layer below |
            | `Api/` | endpoints (with, commas) | State (`IActionRunner`, `VendorData`), Machines (fault endpoint only) |
            | `State/`, `Machines/` | records | Host |
            | `Host/` | commands | nothing of ours |

            ## Next
            """;

        var table = RulesTable.Read(Markdown, "## Rooms");

        Assert.Equal(["", "Api", "State", "Machines", "Host"], table.Rooms);
        Assert.True(table.Allows("", "Host") && table.Allows("", "Api"));
        Assert.True(table.Allows("Api", "State") && table.Allows("Api", "Machines") && !table.Allows("Api", "Host"));
        Assert.True(table.Allows("Machines", "Host") && !table.Allows("Machines", "State"));
        Assert.False(table.Allows("Host", "Api"));
    }

    [Fact]
    public void A_may_use_cell_naming_a_room_without_a_row_is_an_error_not_a_silent_allowance()
    {
        const string Markdown = "## Rooms\n| folder | may use |\n|---|---|\n| `Api/` | Stat |\n| `State/` | nothing of ours |\n";

        var error = Assert.Throws<InvalidOperationException>(() => RulesTable.Read(Markdown, "## Rooms"));

        Assert.Contains("'Stat'", error.Message, StringComparison.Ordinal);
    }

    private static void AssertKeeps(string assembly, string heading)
    {
        var table = RulesTable.Read(Architecture, heading);
        var (types, uses) = TypeUses.Read(AssemblyPath(assembly));
        var rooms = Rooms(assembly);
        Assert.NotEmpty(uses);

        var problems = DependencyRules.Breaches(table, uses, rooms).Concat(DependencyRules.EmptyRows(table, types, rooms)).ToList();

        Assert.True(problems.Count == 0,
            $"{assembly} breaks the rules of docs/architecture.md '{heading}' ({problems.Count}):\n" + string.Join("\n", problems));
    }

    private static RoomMap Rooms(string assembly) => new(assembly, Path.Combine(RepositoryPaths.Root, "src", assembly));

    private static string AssemblyPath(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        Assert.True(File.Exists(path), $"{path} is not in the test's output folder; build the solution first.");
        return path;
    }
}
