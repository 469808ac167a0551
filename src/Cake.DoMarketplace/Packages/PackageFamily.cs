namespace Cake.DoMarketplace.Packages;

/// <summary>The package manager family of a distribution.</summary>
internal enum PackageFamily
{
    /// <summary>Debian, Ubuntu: apt.</summary>
    Apt,

    /// <summary>CentOS Stream 8+, Rocky, Alma, CloudLinux 8+: dnf.</summary>
    Dnf,

    /// <summary>CentOS 6/7: yum.</summary>
    Yum,
}
