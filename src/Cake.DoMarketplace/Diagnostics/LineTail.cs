namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// The one keeper of "the last lines": a bounded, thread-safe buffer fed as output arrives (<see cref="Add"/>), and the
/// last lines of a finished text (<see cref="Last"/>), so that every error that shows the end of some output shows it alike.
/// </summary>
internal sealed class LineTail(int capacity)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    /// <summary>The last lines added since <see cref="Clear"/>, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
            {
                return [.. lines];
            }
        }
    }

    /// <summary>The last <paramref name="count"/> non-blank lines of <paramref name="text"/>, oldest first, without carriage returns.</summary>
    public static IReadOnlyList<string> Last(string text, int count) =>
        Split(text).Where(l => l.Trim().Length > 0).TakeLast(count).ToList();

    /// <summary>Keeps <paramref name="text"/>, line by line, dropping the oldest beyond the capacity.</summary>
    public void Add(string text)
    {
        lock (gate)
        {
            foreach (var line in Split(text))
            {
                lines.Enqueue(line);
                if (lines.Count > capacity)
                {
                    lines.Dequeue();
                }
            }
        }
    }

    /// <summary>Forgets what was kept.</summary>
    public void Clear()
    {
        lock (gate)
        {
            lines.Clear();
        }
    }

    private static IEnumerable<string> Split(string text) => text.Split('\n').Select(l => l.TrimEnd('\r'));
}
