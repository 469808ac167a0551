using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.Marketplace;

/// <summary>Settings of <c>DoSubmitMarketplaceUpdate</c>: the Vendor API's app update.</summary>
public sealed class MarketplaceUpdateSettings : DoApiSettings
{
    /// <summary>The app id from the Vendor Portal. Required.</summary>
    public string? AppId { get; set; }

    /// <summary>The new image id (a snapshot from <c>DoSnapshot</c>). Required.</summary>
    public long ImageId { get; set; }

    /// <summary>Why the app is updated, shown to reviewers. Null leaves it as it is.</summary>
    public string? ReasonForUpdate { get; set; }

    /// <summary>The operating system of the image, such as <c>Debian 12</c>. Null leaves it as it is.</summary>
    public string? OsVersion { get; set; }

    /// <summary>The software the image includes; empty leaves the list as it is.</summary>
    public IList<SoftwareIncluded> SoftwareIncluded { get; } = new List<SoftwareIncluded>();
}
