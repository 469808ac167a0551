namespace Cake.DoMarketplace.Packages;

/// <summary>What <c>/etc/os-release</c> says about the droplet.</summary>
/// <param name="Id">ID, such as <c>debian</c>.</param>
/// <param name="IdLike">ID_LIKE, such as <c>rhel fedora</c>.</param>
/// <param name="Name">NAME, such as <c>Debian GNU/Linux</c>.</param>
/// <param name="VersionId">VERSION_ID, such as <c>12</c>.</param>
/// <param name="PrettyName">PRETTY_NAME.</param>
internal sealed record LinuxDistribution(string Id, string IdLike, string Name, string VersionId, string PrettyName)
{
    /// <summary>Parses the text of <c>/etc/os-release</c>.</summary>
    public static LinuxDistribution Parse(string osRelease)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in osRelease.Split('\n'))
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=');
            if (line.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            }

            values[line[..equals]] = value;
        }

        string Get(string key) => values.TryGetValue(key, out var v) ? v : string.Empty;
        return new LinuxDistribution(Get("ID"), Get("ID_LIKE"), Get("NAME"), Get("VERSION_ID"), Get("PRETTY_NAME"));
    }

    /// <summary>The package manager family, or null for a distribution this addin does not know.</summary>
    public PackageFamily? Family
    {
        get
        {
            var ids = (Id + " " + IdLike).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Any(i => i is "debian" or "ubuntu"))
            {
                return PackageFamily.Apt;
            }

            if (ids.Any(i => i is "rhel" or "centos" or "fedora" or "rocky" or "almalinux" or "cloudlinux"))
            {
                return MajorVersion is > 0 and < 8 ? PackageFamily.Yum : PackageFamily.Dnf;
            }

            return null;
        }
    }

    private int MajorVersion => int.TryParse(VersionId.Split('.')[0], out var major) ? major : 0;

    /// <inheritdoc />
    public override string ToString() => string.IsNullOrEmpty(PrettyName) ? $"{Name} {VersionId}" : PrettyName;
}
