namespace Cake.DoMarketplace.ImageRules;

/// <summary>
/// The operating systems DigitalOcean's Marketplace accepts, as <c>/etc/os-release</c> names them (NAME and
/// VERSION_ID). Extend it when DigitalOcean adds a release before this addin does.
/// </summary>
internal sealed class SupportedReleases
{
    private readonly List<(string Name, string Version)> releases;

    /// <summary>Creates the list from (NAME prefix, VERSION_ID or major version) pairs.</summary>
    public SupportedReleases(IEnumerable<(string Name, string Version)> releases) => this.releases = releases.ToList();

    /// <summary>DigitalOcean's current list: Ubuntu 16.04–24.04, Debian 9–13, CentOS Linux 6–8, CentOS Stream 8–9,
    /// Rocky Linux, AlmaLinux and CloudLinux 8–9.</summary>
    public static SupportedReleases Default => new(
    [
        ("Ubuntu", "16.04"), ("Ubuntu", "18.04"), ("Ubuntu", "20.04"), ("Ubuntu", "22.04"), ("Ubuntu", "22.10"), ("Ubuntu", "24.04"),
        ("Debian", "9"), ("Debian", "10"), ("Debian", "11"), ("Debian", "12"), ("Debian", "13"),
        ("CentOS Linux", "6"), ("CentOS Linux", "7"), ("CentOS Linux", "8"),
        ("CentOS Stream", "8"), ("CentOS Stream", "9"),
        ("Rocky Linux", "8"), ("Rocky Linux", "9"),
        ("AlmaLinux", "8"), ("AlmaLinux", "9"),
        ("CloudLinux", "8"), ("CloudLinux", "9"),
    ]);

    /// <summary>Adds releases given as <c>"NAME VERSION"</c>, for example <c>"Ubuntu 26.04"</c>.</summary>
    public SupportedReleases With(IEnumerable<string> extra)
    {
        foreach (var entry in extra)
        {
            var space = entry.Trim().LastIndexOf(' ');
            if (space <= 0)
            {
                throw new Diagnostics.DoSettingsException("ExtraSupportedReleases",
                    $"ExtraSupportedReleases entry '{entry}' must be 'NAME VERSION' as in /etc/os-release, for example 'Ubuntu 26.04'.");
            }

            releases.Add((entry.Trim()[..space], entry.Trim()[(space + 1)..]));
        }

        return this;
    }

    /// <summary>True when NAME and VERSION_ID match a supported release (<c>9.4</c> matches <c>9</c>).</summary>
    public bool IsSupported(string name, string versionId) =>
        releases.Any(r => Matches(name, r.Name)
                          && (versionId == r.Version || versionId.StartsWith(r.Version + ".", StringComparison.Ordinal)));

    /// <summary>True when some release of the distribution is supported.</summary>
    public bool IsSupportedFamily(string distribution) =>
        !string.IsNullOrWhiteSpace(distribution) && releases.Any(r => Matches(distribution, r.Name) || Matches(r.Name, distribution));

    /// <summary>The list, for messages.</summary>
    public string Describe() =>
        string.Join(", ", releases.GroupBy(r => r.Name).Select(g => $"{g.Key} {string.Join('/', g.Select(r => r.Version))}"));

    private static bool Matches(string name, string prefix) => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
