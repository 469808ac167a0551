namespace Cake.DoMarketplace.Tests.Support;

/// <summary>Counts where byte strings occur in every byte of a file or of every regular file under a folder.</summary>
public static class ByteScan
{
    private const int Chunk = 8 << 20;

    /// <summary>Hits per needle name; one pass over the data for all needles.</summary>
    public static Dictionary<string, long> Count(string path, IReadOnlyDictionary<string, byte[]> needles)
    {
        var hits = needles.Keys.ToDictionary(k => k, _ => 0L);
        var files = Directory.Exists(path)
            // Symbolic links are skipped (their target is scanned where it lives); so are empty entries, which
            // include overlay whiteouts (0:0 character devices that cannot be opened).
            ? Directory.EnumerateFiles(path, "*",
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false })
                .Where(f => new FileInfo(f) is { LinkTarget: null, Length: > 0 })
            : [path];
        foreach (var file in files)
        {
            ScanFile(file, needles, hits);
        }

        return hits;
    }

    private static void ScanFile(string file, IReadOnlyDictionary<string, byte[]> needles, Dictionary<string, long> hits)
    {
        var overlap = needles.Values.Max(n => n.Length) - 1;
        var buffer = new byte[Chunk + overlap];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var carried = 0;
        int read;
        while ((read = stream.Read(buffer, carried, Chunk)) > 0)
        {
            var window = buffer.AsSpan(0, carried + read);
            foreach (var (name, needle) in needles)
            {
                // A match ending inside the carried bytes was counted in the previous window.
                var span = window;
                var offset = 0;
                int at;
                while ((at = span.IndexOf(needle)) >= 0)
                {
                    if (offset + at + needle.Length > carried)
                    {
                        hits[name]++;
                    }

                    offset += at + 1;
                    span = window[offset..];
                }
            }

            carried = Math.Min(overlap, window.Length);
            window[^carried..].CopyTo(buffer);
        }
    }
}
