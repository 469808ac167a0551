namespace Cake.DoMarketplace.ImageRules;

/// <summary>What a fact script printed, kept with its facts so that an error about them can show it.</summary>
/// <param name="Script">The script's file name.</param>
/// <param name="Machine">Where it ran.</param>
/// <param name="StandardOutput">Its standard output.</param>
/// <param name="StandardError">Its standard error.</param>
internal sealed record FactOutput(string Script, string Machine, string StandardOutput, string StandardError)
{
    private const int ShownLines = 12;

    /// <summary>The error for output that cannot be read as this script's facts: <paramref name="problem"/>, then what came back.</summary>
    public FactRecordsException Error(string problem) =>
        new(Script, Machine, $"{Script} on {Machine} {problem}. Its output cannot be read as facts, so no check is passed or failed on it. " +
                             $"What came back on stdout: {Lines(StandardOutput, first: true)}; on stderr: {Lines(StandardError, first: false)}");

    /// <summary>A line cut to a readable length.</summary>
    public static string Shorten(string line) => line.Length > 200 ? line[..200] + "…" : line;

    private static string Lines(string text, bool first)
    {
        var lines = Diagnostics.LineTail.Last(text, int.MaxValue);
        if (lines.Count == 0)
        {
            return "nothing";
        }

        var shown = first ? lines.Take(ShownLines) : lines.TakeLast(ShownLines);
        var more = lines.Count > ShownLines ? $" ({(first ? "first" : "last")} {ShownLines} of {lines.Count} lines)" : string.Empty;
        return more + Environment.NewLine + string.Join(Environment.NewLine, shown.Select(l => "  " + Shorten(l)));
    }
}
