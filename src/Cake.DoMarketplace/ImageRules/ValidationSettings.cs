using Cake.Core.IO;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>Settings of <c>DoValidateImage</c>.</summary>
public sealed class ValidationSettings
{
    /// <summary>Fail the build when a check fails (default).</summary>
    public bool FailOnError { get; set; } = true;

    /// <summary>
    /// Fail the build on a warning too (off by default): Marketplace review asks about every WARN in DigitalOcean's
    /// scan (no firewall, log archives), so a release build may want none.
    /// </summary>
    public bool FailOnWarning { get; set; }

    /// <summary>Refresh the package index before looking for security updates (default; needs network on the droplet).</summary>
    public bool RefreshPackageIndex { get; set; } = true;

    /// <summary>More releases to accept, as <c>"NAME VERSION"</c> from /etc/os-release, for example <c>"Ubuntu 26.04"</c>.</summary>
    public IList<string> ExtraSupportedReleases { get; } = new List<string>();

    /// <summary>
    /// Where to write the report as Markdown, JSON and JUnit XML (relative paths start at the build.cake folder);
    /// null writes no files.
    /// </summary>
    public DirectoryPath? ReportDirectory { get; set; } = "artifacts/image-validation";

    /// <summary>Upper bound of the fact collection.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the package index refresh (<see cref="RefreshPackageIndex"/>) waits, in all, while another process holds
    /// the package manager's locks, before the validation fails naming that process; 10 minutes by default.
    /// </summary>
    public TimeSpan PackageLockTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
