namespace Cake.DoMarketplace.Tests.Architecture;

/// <summary>Holds a project's type uses against a rules table of docs/architecture.md and says, one line each, what breaks it.</summary>
internal static class DependencyRules
{
    public static List<string> Breaches(RulesTable table, IEnumerable<TypeUse> uses, RoomMap rooms)
    {
        var breaches = new List<string>();
        foreach (var use in uses)
        {
            var from = rooms.RoomOf(use.From);
            var to = rooms.RoomOf(use.To);
            if (from is null || to is null || from == to)
            {
                continue;
            }

            if (!table.Has(from) || !table.Has(to))
            {
                var missing = Name(table.Has(from) ? to : from);
                breaches.Add($"{Name(from)} uses {Name(to)}, but {missing} has no row in the table ({use.From.Name} → {use.To.Name})");
                continue;
            }

            if (!table.Allows(from, to))
            {
                breaches.Add($"{Name(from)} uses {Name(to)} ({use.From.Name} → {use.To.Name})");
            }
        }

        return [.. breaches.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Every room of the table holds at least one type: a row for a room that is gone is a rule nobody keeps.</summary>
    public static List<string> EmptyRows(RulesTable table, IEnumerable<DefinedType> types, RoomMap rooms)
    {
        var seen = types.Select(rooms.RoomOf).OfType<string>().ToHashSet();
        return table.Rooms.Where(r => !seen.Contains(r)).Select(r => $"{Name(r)} has a row but no type of the project lives there").ToList();
    }

    /// <summary>Each use of one room by another that the other reaches back from: the rooms must form layers, not loops.</summary>
    public static List<string> Loops(IEnumerable<TypeUse> uses, RoomMap rooms)
    {
        var crossings = uses
            .Select(u => (From: rooms.RoomOf(u.From), To: rooms.RoomOf(u.To), Use: u))
            .Where(c => c.From is not null && c.To is not null && c.From != c.To)
            .Select(c => (From: c.From!, To: c.To!, c.Use))
            .ToList();
        var next = crossings.ToLookup(c => c.From, c => c.To);

        bool Reaches(string start, string goal)
        {
            var seen = new HashSet<string> { start };
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var room))
            {
                if (room == goal)
                {
                    return true;
                }

                foreach (var further in next[room].Where(seen.Add))
                {
                    queue.Enqueue(further);
                }
            }

            return false;
        }

        return crossings
            .GroupBy(c => (c.From, c.To))
            .Where(g => Reaches(g.Key.To, g.Key.From))
            .Select(g => g.OrderBy(c => c.Use.From.Name + c.Use.To.Name, StringComparer.Ordinal).First())
            .Select(c => $"{Name(c.From)} uses {Name(c.To)} ({c.Use.From.Name} → {c.Use.To.Name}), and {Name(c.To)} leads back to {Name(c.From)}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string Name(string room) => room.Length == 0 ? "(root)" : room;
}
