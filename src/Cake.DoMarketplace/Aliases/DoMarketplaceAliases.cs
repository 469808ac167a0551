using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace;

/// <summary>
/// Builds DigitalOcean Marketplace (1-Click) images from a Cake script: create a build droplet, provision it over SSH,
/// install first-boot scripts, clean and validate it, snapshot it.
/// </summary>
/// <remarks>
/// Load the addin with <c>#addin nuget:?package=Cake.DoMarketplace&amp;loaddependencies=true</c>. The API token comes from
/// <c>DIGITALOCEAN_TOKEN</c> unless set in the settings.
/// </remarks>
[CakeAliasCategory(AliasCategories.Addin)]
public static partial class DoMarketplaceAliases
{
    private static ICakeLog Log(ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RedactingCakeLog.Wrap(context.Log);
    }

    private static DoApiClient CreateApiClient(ICakeContext context, DoApiSettings settings, string settingName) =>
        new(DoApiCredentials.Resolve(settings, context.Environment, settingName), Log(context));

    private static T Configure<T>(Action<T> configure)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(configure);
        var settings = new T();
        configure(settings);
        return settings;
    }

    private static BuildDroplet Live(BuildDroplet droplet)
    {
        ArgumentNullException.ThrowIfNull(droplet);
        return droplet.Destroyed ? throw new BuildDropletStateException(droplet.Id, $"{droplet} has been destroyed.") : droplet;
    }
}
