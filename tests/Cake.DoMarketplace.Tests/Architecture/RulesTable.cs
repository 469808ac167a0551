using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>
/// One "what each may use" table of docs/architecture.md, read as rules: its first column names one or more rooms as
/// folders (<c>`Pipeline/`</c>, <c>`FirstBoot/`, `Packages/`</c>, <c>`./`</c> for the project's root), its last column
/// the rooms they may use, with parenthesised remarks ignored ("Machines (fault endpoint only)" allows Machines),
/// "every room below" / "every layer below" meaning the rooms of the rows after it and "nothing of ours" none.
/// </summary>
internal sealed partial class RulesTable
{
    private readonly Dictionary<string, HashSet<string>> allowed;

    private RulesTable(IReadOnlyList<string> rooms, Dictionary<string, HashSet<string>> allowed)
    {
        Rooms = rooms;
        this.allowed = allowed;
    }

    /// <summary>The rooms in the table's order; the project's root is the empty name.</summary>
    public IReadOnlyList<string> Rooms { get; }

    public bool Allows(string from, string to) => allowed[from].Contains(to);

    public bool Has(string room) => allowed.ContainsKey(room);

    /// <summary>Reads the first table after the heading <paramref name="heading"/>; anything it cannot read is an error.</summary>
    public static RulesTable Read(string markdown, string heading)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var headingAt = lines.FindIndex(l => l.Trim() == heading);
        if (headingAt < 0)
        {
            throw new InvalidOperationException($"The heading '{heading}' is not in docs/architecture.md; the rules table cannot be found.");
        }

        var tableAt = lines.FindIndex(headingAt + 1, l => l.StartsWith('|'));
        var nextHeading = lines.FindIndex(headingAt + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        if (tableAt < 0 || (nextHeading >= 0 && tableAt > nextHeading))
        {
            throw new InvalidOperationException($"No table under '{heading}' in docs/architecture.md.");
        }

        var table = lines.Skip(tableAt).TakeWhile(l => l.StartsWith('|')).Select(Cells).ToList();
        var header = table[0];
        if (table.Count < 3 || !header[^1].Equals("may use", StringComparison.OrdinalIgnoreCase)
                            || !table[1].All(c => c.Trim('-', ':').Length == 0))
        {
            throw new InvalidOperationException($"The table under '{heading}' is not a header, a |---| line and rows ending in 'may use'.");
        }

        var rows = new List<(IReadOnlyList<string> Rooms, string MayUse)>();
        foreach (var cells in table.Skip(2))
        {
            if (cells.Count != header.Count)
            {
                throw new InvalidOperationException($"A row under '{heading}' has {cells.Count} cells, not {header.Count}: {string.Join(" | ", cells)}");
            }

            var rooms = Folder().Matches(cells[0]).Select(m => m.Groups["name"].Value.TrimEnd('/')).Select(n => n == "." ? "" : n).ToList();
            if (rooms.Count == 0)
            {
                throw new InvalidOperationException($"The first cell of a row under '{heading}' names no `Folder/`: {cells[0]}");
            }

            rows.Add((rooms, cells[^1]));
        }

        var order = rows.SelectMany(r => r.Rooms).ToList();
        var duplicate = order.GroupBy(r => r).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"The room '{duplicate.Key}' has two rows under '{heading}'.");
        }

        var allowed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var below = rows.Skip(i + 1).SelectMany(r => r.Rooms);
            var mayUse = MayUse(rows[i].MayUse, below, order, heading);
            foreach (var room in rows[i].Rooms)
            {
                allowed[room] = [.. mayUse];
            }
        }

        return new RulesTable(order, allowed);
    }

    private static List<string> MayUse(string cell, IEnumerable<string> below, List<string> known, string heading)
    {
        var text = Remark().Replace(cell, "").Replace("`", "", StringComparison.Ordinal).Trim();
        if (text is "every room below" or "every layer below")
        {
            return below.ToList();
        }

        if (text == "nothing of ours")
        {
            return [];
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries).Select(n => n.TrimEnd('/')).Select(n => n == "." ? "" : n).ToList();
        var unknown = names.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"'{cell}' under '{heading}' names {string.Join(", ", unknown.Select(n => $"'{(n.Length == 0 ? "./" : n)}'"))}, which has no row of its own.");
        }

        return names;
    }

    private static List<string> Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();

    [GeneratedRegex(@"`(?<name>[^`/]*/)`")]
    private static partial Regex Folder();

    [GeneratedRegex(@"\s*\([^)]*\)")]
    private static partial Regex Remark();
}
