using Cake.DoMarketplace.Api.Models;

namespace Cake.DoMarketplace.Api;

/// <summary>Tagging with as few requests as the tag's existence allows.</summary>
internal static class TagRequests
{
    /// <summary>
    /// Tags <paramref name="resources"/>, creating the tag (<c>POST /v2/tags</c>) only when the API answers that it does
    /// not exist. A tag usually does: a droplet create with <c>tags</c> creates them, so the build's own tag costs one
    /// request here, not two; tagging needs the tag to exist, hence the create and one retry on 404.
    /// </summary>
    public static async Task TagCreatingAsync(this IDoApiClient api, string tag, IReadOnlyList<DoTaggedResource> resources, CancellationToken cancellationToken)
    {
        try
        {
            await api.TagResourcesAsync(tag, resources, cancellationToken).ConfigureAwait(false);
        }
        catch (DoApiException e) when (e.IsNotFound)
        {
            await api.CreateTagAsync(tag, cancellationToken).ConfigureAwait(false);
            await api.TagResourcesAsync(tag, resources, cancellationToken).ConfigureAwait(false);
        }
    }
}
