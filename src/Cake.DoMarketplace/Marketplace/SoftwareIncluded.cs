namespace Cake.DoMarketplace.Marketplace;

/// <summary>A piece of software the image includes, as the Marketplace lists it.</summary>
/// <param name="Name">Name, such as <c>nginx</c>.</param>
/// <param name="Version">Version, such as <c>1.22.1</c>.</param>
/// <param name="ReleaseNotes">Release notes; empty for none.</param>
public sealed record SoftwareIncluded(string Name, string Version, string ReleaseNotes = "");
