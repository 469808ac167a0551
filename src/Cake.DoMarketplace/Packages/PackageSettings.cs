namespace Cake.DoMarketplace.Packages;

/// <summary>Settings of <c>DoUpdatePackages</c> and <c>DoInstallPackages</c> (and of <c>DoBuildImage</c>'s package steps).</summary>
public sealed class PackageSettings
{
    /// <summary>Upper bound of the package manager run, once its locks are free.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long the step waits, in all, while another process holds the package manager's locks, before it fails naming
    /// that process. On DigitalOcean's Ubuntu droplets unattended-upgrades holds apt's locks for minutes after the first
    /// boot; the step waits for it, saying who holds the locks and for how long, and starts once they are free.
    /// 10 minutes by default.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
