using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.Marketplace;

/// <summary>A piece of software the image includes, as the Marketplace lists it.</summary>
/// <param name="Name">Name, such as <c>nginx</c>.</param>
/// <param name="Version">Version, such as <c>1.22.1</c>.</param>
/// <param name="ReleaseNotes">Release notes; empty for none.</param>
public sealed record SoftwareIncluded(string Name, string Version, string ReleaseNotes = "");

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

/// <summary>What the Vendor API answered.</summary>
/// <param name="AppId">The app.</param>
/// <param name="Status">Its status after the update (for example <c>pending</c>).</param>
/// <param name="ImageId">The image now submitted.</param>
public sealed record MarketplaceUpdateResult(string AppId, string Status, long ImageId);
