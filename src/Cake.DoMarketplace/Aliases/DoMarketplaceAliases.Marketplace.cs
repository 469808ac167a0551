using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Marketplace;

namespace Cake.DoMarketplace;

/// <summary>Submitting to the Marketplace.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Submits a new image for a Marketplace app through the Vendor API (<c>PATCH /api/v1/vendor-portal/apps/{app id}</c>),
    /// with the reason for the update, the OS version and the software included. A wrong app id (404) and an app that
    /// is pending or in review (400) end with a message saying what to do.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">App id, image id and the update's details.</param>
    /// <returns>The app's status after the update.</returns>
    /// <example>
    /// <code>
    /// var update = new MarketplaceUpdateSettings { AppId = "5f4e3d2c1b", ImageId = image.ImageId, ReasonForUpdate = "nginx 1.26", OsVersion = "Debian 12" };
    /// update.SoftwareIncluded.Add(new SoftwareIncluded("nginx", "1.26.0"));
    /// DoSubmitMarketplaceUpdate(update);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='marketplace' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Marketplace)]
    [CakeNamespaceImport("Cake.DoMarketplace.Marketplace")]
    public static MarketplaceUpdateResult DoSubmitMarketplaceUpdate(this ICakeContext context, MarketplaceUpdateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MarketplaceSubmitter.CheckLocally(settings);
        using var api = CreateApiClient(context, settings, $"{nameof(MarketplaceUpdateSettings)}.{nameof(settings.Token)}");
        var submitter = new MarketplaceSubmitter(api, Log(context));
        return BuildCancellation.Run(t => submitter.SubmitAsync(settings, t));
    }

    /// <summary>Submits a new image for a Marketplace app; see <see cref="DoSubmitMarketplaceUpdate(ICakeContext, MarketplaceUpdateSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="configure">Sets app id, image id and the update's details.</param>
    /// <returns>The app's status after the update.</returns>
    /// <example>
    /// <code>
    /// DoSubmitMarketplaceUpdate(s => { s.AppId = "5f4e3d2c1b"; s.ImageId = image.ImageId; s.ReasonForUpdate = "security updates"; });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='marketplace' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Marketplace)]
    [CakeNamespaceImport("Cake.DoMarketplace.Marketplace")]
    public static MarketplaceUpdateResult DoSubmitMarketplaceUpdate(this ICakeContext context, Action<MarketplaceUpdateSettings> configure) =>
        context.DoSubmitMarketplaceUpdate(Configure(configure));
}
