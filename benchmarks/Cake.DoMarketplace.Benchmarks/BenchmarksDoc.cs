using System.Text;

/// <summary>
/// docs/benchmarks.md holds one "## " section per benchmark mode; each mode replaces only its own section, so running
/// one mode keeps the figures the others wrote.
/// </summary>
internal static class BenchmarksDoc
{
    private const string Title = "# Benchmarks";

    /// <summary>Replaces the section whose "## " heading starts <paramref name="section"/> (or appends it); a leading
    /// "# " title line in <paramref name="section"/> is dropped, the document keeps one.</summary>
    public static async Task WriteSectionAsync(string path, string section)
    {
        var lines = section.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').ToList();
        if (lines.Count > 0 && lines[0].StartsWith("# ", StringComparison.Ordinal))
        {
            lines.RemoveAt(0);
            while (lines.Count > 0 && lines[0].Length == 0)
            {
                lines.RemoveAt(0);
            }
        }

        var heading = lines[0];
        var sections = new List<(string Heading, List<string> Lines)>();
        foreach (var line in File.Exists(path) ? (await File.ReadAllTextAsync(path)).TrimEnd('\n').Split('\n') : [])
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                sections.Add((line, [line]));
            }
            else if (sections.Count > 0)
            {
                sections[^1].Lines.Add(line);
            }
        }

        var index = sections.FindIndex(s => s.Heading == heading);
        if (index >= 0)
        {
            sections[index] = (heading, lines);
        }
        else
        {
            sections.Add((heading, lines));
        }

        var text = new StringBuilder(Title).Append("\n\n");
        foreach (var (_, body) in sections)
        {
            text.Append(string.Join('\n', body).TrimEnd('\n')).Append("\n\n");
        }

        await File.WriteAllTextAsync(path, text.ToString().TrimEnd('\n') + "\n");
    }
}
