using Cake.DoMarketplace.Api.Models;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// The DigitalOcean API v2 calls an image build needs. Errors surface as <see cref="DoApiException"/>; a 403 from a
/// token without the call's scope as <see cref="DoScopeMissingException"/>, naming the scope.
/// </summary>
internal interface IDoApiClient : IDisposable
{
    /// <summary>The <c>ratelimit-*</c> headers of the latest response, if any was seen.</summary>
    RateLimitStatus? LastRateLimit { get; }

    /// <summary>The API base address in use.</summary>
    Uri BaseUrl { get; }

    /// <summary>
    /// Probes each of <paramref name="scopes"/> (read scopes such as <c>sizes:read</c>) that no request of
    /// this client has proven yet with a one-item read-only request (such as <c>GET /v2/sizes?per_page=1</c>) and returns
    /// those the token lacks (answered 403), in order; empty for a full-access token. Other errors throw.
    /// </summary>
    Task<IReadOnlyList<string>> FindMissingReadScopesAsync(IEnumerable<string> scopes, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v2/account/keys</c>.</summary>
    Task<DoSshKey> CreateSshKeyAsync(string name, string publicKey, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/account/keys</c> (all pages).</summary>
    Task<IReadOnlyList<DoSshKey>> ListSshKeysAsync(CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v2/account/keys/{id}</c>. Returns false when the key was already gone.</summary>
    Task<bool> DeleteSshKeyAsync(long id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v2/droplets</c>.</summary>
    Task<DoDroplet> CreateDropletAsync(DoDropletCreateRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/droplets/{id}</c>.</summary>
    Task<DoDroplet> GetDropletAsync(long id, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/droplets?tag_name=…</c> (all pages).</summary>
    Task<IReadOnlyList<DoDroplet>> ListDropletsByTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v2/droplets/{id}</c>. Returns false when the droplet was already gone.</summary>
    Task<bool> DeleteDropletAsync(long id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v2/droplets/{id}/actions</c>: shutdown, power_off, power_on, snapshot.</summary>
    Task<DoAction> PostDropletActionAsync(long dropletId, DoActionRequest action, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/actions/{id}</c>.</summary>
    Task<DoAction> GetActionAsync(long actionId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/droplets/{id}/actions/{action id}</c>: an action of a droplet, with the droplet's read scope.</summary>
    Task<DoAction> GetDropletActionAsync(long dropletId, long actionId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/droplets/{id}/snapshots</c> (all pages).</summary>
    Task<IReadOnlyList<DoSnapshotInfo>> ListDropletSnapshotsAsync(long dropletId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/snapshots?resource_type=droplet</c> (all pages).</summary>
    Task<IReadOnlyList<DoSnapshotInfo>> ListSnapshotsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/images/{id or slug}</c>.</summary>
    Task<DoImage> GetImageAsync(string idOrSlug, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/images?private=true</c> (all pages).</summary>
    Task<IReadOnlyList<DoImage>> ListPrivateImagesAsync(CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v2/images/{id}</c>. Returns false when the image was already gone.</summary>
    Task<bool> DeleteImageAsync(long imageId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v2/images/{id}/actions</c> with <c>type=transfer</c>.</summary>
    Task<DoAction> TransferImageAsync(long imageId, string region, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/images/{id}/actions/{action id}</c>.</summary>
    Task<DoAction> GetImageActionAsync(long imageId, long actionId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/regions</c> (all pages).</summary>
    Task<IReadOnlyList<DoRegion>> ListRegionsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /v2/sizes</c> (all pages).</summary>
    Task<IReadOnlyList<DoSize>> ListSizesAsync(CancellationToken cancellationToken = default);

    /// <summary><c>POST /v2/tags</c>; an existing tag is fine.</summary>
    Task CreateTagAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Vendor API <c>PATCH /api/v1/vendor-portal/apps/{app id}</c>; returns the <c>app</c> object when present.</summary>
    Task<System.Text.Json.JsonElement> UpdateMarketplaceAppAsync(string appId, IReadOnlyDictionary<string, object?> update,
        CancellationToken cancellationToken = default);

    /// <summary><c>POST /v2/tags/{tag}/resources</c>.</summary>
    Task TagResourcesAsync(string tag, IEnumerable<DoTaggedResource> resources, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v2/tags/{tag}/resources</c>.</summary>
    Task UntagResourcesAsync(string tag, IEnumerable<DoTaggedResource> resources, CancellationToken cancellationToken = default);
}
