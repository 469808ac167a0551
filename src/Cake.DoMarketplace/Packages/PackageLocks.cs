using System.Globalization;

namespace Cake.DoMarketplace.Packages;

/// <summary>
/// The package manager's locks on a droplet, through the shell helpers of <c>Packages/Scripts/package-locks.sh</c>: who
/// holds them (<c>package_lock_holders</c>: the kernel's lock table for apt's, dpkg's and rpm's lock files, live pids in
/// dnf's and yum's pid files), a wait that says who holds them, and <c>package_run</c>, which waits again when another
/// process takes them as a command starts. This class reads what they print.
/// </summary>
internal static class PackageLocks
{
    /// <summary>The status of a script whose waits for the locks ran out (<c>PACKAGE_LOCK_TIMEOUT_STATUS</c>, EX_TEMPFAIL).</summary>
    public const int TimeoutStatus = 75;

    /// <summary>The line the probe prints last, so that an empty answer never reads as "free".</summary>
    private const string Checked = "package locks checked";

    private const string TimedOutMarker = "the package manager stayed busy: ";

    private const string TimedOutEnd = ". Waited ";

    private static readonly Lazy<string> Source = new(() =>
    {
        var assembly = typeof(PackageLocks).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Packages.Scripts.package-locks.sh", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    });

    /// <summary>The helpers' definitions (functions and one constant), to send before a command or script that uses them.</summary>
    public static string Helpers => Source.Value;

    /// <summary>The probe: the holders now, one <c>PID TAB COMMAND TAB PATH</c> line each, then <see cref="Checked"/>.</summary>
    public static string Probe => $"{Helpers}\npackage_lock_holders && echo '{Checked}'";

    /// <summary>
    /// Reads the probe's answer. An answer without its last line (the probe did not run to its end) is an error, never
    /// "free".
    /// </summary>
    public static IReadOnlyList<PackageLockHolder> ParseHolders(string output)
    {
        var lines = output.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!lines.Contains(Checked, StringComparer.Ordinal))
        {
            throw new FormatException($"The package lock probe did not finish (no '{Checked}' line); it printed: '{output.Trim()}'.");
        }

        var holders = new List<PackageLockHolder>();
        foreach (var line in lines.Where(l => l != Checked))
        {
            var fields = line.Split('\t');
            if (fields.Length != 3 || !int.TryParse(fields[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pid))
            {
                throw new FormatException($"The package lock probe printed a line that is not 'PID<TAB>COMMAND<TAB>PATH': '{line}'.");
            }

            holders.Add(new PackageLockHolder(pid, fields[1], fields[2]));
        }

        return holders;
    }

    /// <summary>
    /// One line, one part per process, as <c>package_lock_state</c> writes it:
    /// <c>process 1234 (unattended-upgr) holds /var/lib/dpkg/lock-frontend, /var/lib/dpkg/lock</c>; <c>free</c> for none.
    /// </summary>
    public static string Describe(IReadOnlyList<PackageLockHolder> holders) =>
        holders.Count == 0
            ? "free"
            : string.Join("; ", holders.GroupBy(h => h.Pid).Select(g =>
                $"{(g.Key > 0 ? $"process {g.Key} ({g.First().Command})" : "a process of unknown pid")} holds {string.Join(", ", g.Select(h => h.Path))}"));

    /// <summary>The environment of a script using the helpers: its share of the wait (whole seconds, at least 1) and the setting behind it.</summary>
    public static IReadOnlyDictionary<string, string> Variables(TimeSpan remaining, string setting) => new Dictionary<string, string>
    {
        ["PACKAGE_LOCK_TIMEOUT"] = Math.Max(1, (long)Math.Ceiling(remaining.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        ["PACKAGE_LOCK_SETTING"] = setting,
    };

    /// <summary>Who held the locks when a script's wait ran out, from the line <c>package_locks_timed_out</c> printed; null when there is none.</summary>
    public static string? StateAtTimeout(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.Contains(TimedOutMarker, StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var state = line[(line.IndexOf(TimedOutMarker, StringComparison.Ordinal) + TimedOutMarker.Length)..];
        var end = state.LastIndexOf(TimedOutEnd, StringComparison.Ordinal);
        return (end >= 0 ? state[..end] : state).Trim();
    }
}
