using Cake.DoMarketplace.Api;

namespace Cake.DoMarketplace.Marketplace;

/// <summary>
/// The Vendor API refused a Marketplace update: the app id is unknown to the token's team (404), or the app is pending
/// or in review and takes no update (400). The message says what to do; <see cref="Exception.InnerException"/> is the
/// API's answer.
/// </summary>
/// <param name="appId">The Marketplace app id.</param>
/// <param name="message">What went wrong and what to do.</param>
/// <param name="apiError">The API's error answer.</param>
public sealed class MarketplaceSubmissionException(string appId, string message, DoApiException apiError)
    : DoMarketplaceException(message, apiError)
{
    /// <summary>The Marketplace app id.</summary>
    public string AppId { get; } = appId;

    /// <summary>The API's error answer.</summary>
    public DoApiException ApiError { get; } = apiError;
}
