using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// Finds the Debian mirror this machine's apt uses (one-line <c>.list</c> files and deb822 <c>.sources</c> files), so
/// the base image comes from wherever the host gets its packages. Nothing is hard-coded.
/// </summary>
internal static partial class AptMirror
{
    [GeneratedRegex(@"^\s*deb\s+(?:\[[^\]]*\]\s+)?(?<uri>\S+)\s+(?<suite>\S+)")]
    private static partial Regex OneLine();

    /// <summary>
    /// Reads apt's sources once: the main mirror (for debootstrap), the one-line sources of a base image of
    /// <paramref name="suite"/> — main, updates and security, from the host's own mirrors — and the mirrors' host names
    /// (the only places droplets may reach).
    /// </summary>
    public static (string Main, string SourcesList, IReadOnlyList<string> Hosts) Read(string suite, string etcApt = "/etc/apt")
    {
        var candidates = Candidates(etcApt);
        var main = candidates.FirstOrDefault(c => !c.Suite.Contains('-', StringComparison.Ordinal)
            && !c.Uri.Contains("security", StringComparison.OrdinalIgnoreCase)).Uri
                   ?? candidates.FirstOrDefault(c => !c.Uri.Contains("security", StringComparison.OrdinalIgnoreCase)).Uri
                   ?? throw new InvalidOperationException(
                       $"No Debian mirror found in {etcApt}/sources.list or sources.list.d; the base image is fetched from the mirror apt uses.");
        var updates = candidates.FirstOrDefault(c => c.Suite.EndsWith("-updates", StringComparison.Ordinal)).Uri ?? main;
        var security = candidates.FirstOrDefault(c => c.Suite.EndsWith("-security", StringComparison.Ordinal)).Uri;
        var sources = $"deb {main} {suite} main\ndeb {updates} {suite}-updates main\n"
            + (security is null ? string.Empty : $"deb {security} {suite}-security main\n");
        var hosts = new[] { main, updates, security }.OfType<string>().Select(u => new Uri(u).Host).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return (main, sources, hosts);
    }

    private static List<(string Uri, string Suite)> Candidates(string etcApt)
    {
        var candidates = new List<(string Uri, string Suite)>();
        var files = new List<string>();
        if (File.Exists(Path.Combine(etcApt, "sources.list")))
        {
            files.Add(Path.Combine(etcApt, "sources.list"));
        }

        var parts = Path.Combine(etcApt, "sources.list.d");
        if (Directory.Exists(parts))
        {
            files.AddRange(Directory.GetFiles(parts).Order(StringComparer.Ordinal));
        }

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            candidates.AddRange(file.EndsWith(".sources", StringComparison.Ordinal) ? Deb822(text)
                : text.Split('\n').Select(l => OneLine().Match(l)).Where(m => m.Success).Select(m => (m.Groups["uri"].Value, m.Groups["suite"].Value)));
        }

        return candidates;
    }

    private static IEnumerable<(string Uri, string Suite)> Deb822(string text)
    {
        foreach (var stanza in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split("\n\n"))
        {
            var fields = stanza.Split('\n')
                .Where(l => l.Contains(':') && !l.TrimStart().StartsWith('#'))
                .Select(l => (Key: l[..l.IndexOf(':')].Trim(), Value: l[(l.IndexOf(':') + 1)..].Trim()))
                .GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            if (fields.TryGetValue("Enabled", out var enabled) && enabled == "no")
            {
                continue;
            }

            if (fields.TryGetValue("Types", out var types) && types.Split(' ').Contains("deb")
                && fields.TryGetValue("URIs", out var uris) && fields.TryGetValue("Suites", out var suites))
            {
                foreach (var uri in uris.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    foreach (var suite in suites.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        yield return (uri, suite);
                    }
                }
            }
        }
    }
}
