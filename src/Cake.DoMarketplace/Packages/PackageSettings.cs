namespace Cake.DoMarketplace.Packages;

/// <summary>Settings of <c>DoUpdatePackages</c> and <c>DoInstallPackages</c>.</summary>
public sealed class PackageSettings
{
    /// <summary>Upper bound of the package manager run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
