namespace Cake.DoMarketplace.Marketplace;

/// <summary>What the Vendor API answered.</summary>
/// <param name="AppId">The app.</param>
/// <param name="Status">Its status after the update (for example <c>pending</c>).</param>
/// <param name="ImageId">The image now submitted.</param>
public sealed record MarketplaceUpdateResult(string AppId, string Status, long ImageId);
