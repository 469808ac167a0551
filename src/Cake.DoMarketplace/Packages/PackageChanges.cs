using System.Globalization;

namespace Cake.DoMarketplace.Packages;

/// <summary>A package and its version, as the package database lists it.</summary>
/// <param name="Name">The package name.</param>
/// <param name="Version">Its version.</param>
internal sealed record PackageVersion(string Name, string Version);

/// <summary>A package whose version changed.</summary>
/// <param name="Name">The package name.</param>
/// <param name="From">The version before.</param>
/// <param name="To">The version after.</param>
internal sealed record PackageUpgrade(string Name, string From, string To);

/// <summary>
/// What a package manager run changed, from the package database before and after it (<see cref="PackageCommands.Inventory"/>):
/// the truth about what is installed, whatever the package manager printed.
/// </summary>
internal sealed record PackageChanges(IReadOnlyList<PackageVersion> Installed, IReadOnlyList<PackageUpgrade> Upgraded, IReadOnlyList<PackageVersion> Removed)
{
    /// <summary>Parses an inventory: one <c>name TAB version TAB status</c> line per package; only installed ones (status <c>ii…</c>) count.</summary>
    public static IReadOnlyDictionary<string, string> ParseInventory(string text)
    {
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length >= 3 && fields[0].Length > 0 && fields[2].StartsWith("ii", StringComparison.Ordinal))
            {
                packages[fields[0]] = fields[1];
            }
        }

        return packages;
    }

    public static PackageChanges Between(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) => new(
        [.. after.Where(p => !before.ContainsKey(p.Key)).Select(p => new PackageVersion(p.Key, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal)],
        [.. after.Where(p => before.TryGetValue(p.Key, out var old) && old != p.Value).Select(p => new PackageUpgrade(p.Key, before[p.Key], p.Value)).OrderBy(p
            => p.Name, StringComparer.Ordinal)],
        [.. before.Where(p => !after.ContainsKey(p.Key)).Select(p => new PackageVersion(p.Key, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal)]);

    public bool IsEmpty => Installed.Count == 0 && Upgraded.Count == 0 && Removed.Count == 0;

    /// <summary>
    /// One line: <c>installed 2: nginx 1.22.1-9, ufw 0.36.2-1; upgraded 1: openssl 3.0.17-1 → 3.0.18-1</c>, then the requested
    /// packages that were there already (<paramref name="requested"/>, names without version or glob), or <c>no package changed</c>.
    /// </summary>
    public string Describe(IReadOnlyDictionary<string, string>? after = null, IEnumerable<string>? requested = null)
    {
        var parts = new List<string>();
        if (Installed.Count > 0)
        {
            parts.Add(Count("installed", Installed.Count) + string.Join(", ", Installed.Select(p => $"{p.Name} {p.Version}")));
        }

        if (Upgraded.Count > 0)
        {
            parts.Add(Count("upgraded", Upgraded.Count) + string.Join(", ", Upgraded.Select(p => $"{p.Name} {p.From} → {p.To}")));
        }

        if (Removed.Count > 0)
        {
            parts.Add(Count("removed", Removed.Count) + string.Join(", ", Removed.Select(p => $"{p.Name} {p.Version}")));
        }

        if (IsEmpty)
        {
            parts.Add("no package changed");
        }

        var present = (requested ?? [])
            .Where(name => after is not null && after.ContainsKey(name) && Installed.All(p => p.Name != name) && Upgraded.All(p => p.Name != name))
            .Select(name => $"{name} {after![name]}")
            .ToList();
        if (present.Count > 0)
        {
            parts.Add("already installed: " + string.Join(", ", present));
        }

        return string.Join("; ", parts);
    }

    /// <summary>Counts for the step table: <c>8 installed, 0 upgraded, 0 removed</c>.</summary>
    public string Counts => string.Create(CultureInfo.InvariantCulture, $"{Installed.Count} installed, {Upgraded.Count} upgraded, {Removed.Count} removed");

    private static string Count(string what, int count) => string.Create(CultureInfo.InvariantCulture, $"{what} {count}: ");
}
