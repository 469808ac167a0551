using System.Globalization;
using Cake.DoMarketplace.Api.Models;

namespace Cake.DoMarketplace.Api;

/// <summary>The endpoints, one line each.</summary>
internal sealed partial class DoApiClient
{
    /// <inheritdoc />
    public Task<DoSshKey> CreateSshKeyAsync(string name, string publicKey, CancellationToken cancellationToken = default) =>
        ReadPropertyAsync<DoSshKey>(HttpMethod.Post, "v2/account/keys", new { name, public_key = publicKey }, "ssh_key", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoSshKey>> ListSshKeysAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoSshKey>("v2/account/keys", "ssh_keys", cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteSshKeyAsync(long id, CancellationToken cancellationToken = default) =>
        DeleteAsync($"v2/account/keys/{Id(id)}", cancellationToken);

    /// <inheritdoc />
    public Task<DoDroplet> CreateDropletAsync(DoDropletCreateRequest request, CancellationToken cancellationToken = default) =>
        ReadPropertyAsync<DoDroplet>(HttpMethod.Post, "v2/droplets", request, "droplet", cancellationToken);

    /// <inheritdoc />
    public Task<DoDroplet> GetDropletAsync(long id, CancellationToken cancellationToken = default) =>
        GetAsync<DoDroplet>($"v2/droplets/{Id(id)}", "droplet", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoDroplet>> ListDropletsByTagAsync(string tag, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoDroplet>($"v2/droplets?tag_name={Escape(tag)}", "droplets", cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteDropletAsync(long id, CancellationToken cancellationToken = default) =>
        DeleteAsync($"v2/droplets/{Id(id)}", cancellationToken);

    /// <inheritdoc />
    public Task<DoAction> PostDropletActionAsync(long dropletId, DoActionRequest action, CancellationToken cancellationToken = default) =>
        ReadPropertyAsync<DoAction>(HttpMethod.Post, $"v2/droplets/{Id(dropletId)}/actions", action, "action", cancellationToken);

    /// <inheritdoc />
    public Task<DoAction> GetActionAsync(long actionId, CancellationToken cancellationToken = default) =>
        GetAsync<DoAction>($"v2/actions/{Id(actionId)}", "action", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoSnapshotInfo>> ListDropletSnapshotsAsync(long dropletId, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoSnapshotInfo>($"v2/droplets/{Id(dropletId)}/snapshots", "snapshots", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoSnapshotInfo>> ListSnapshotsAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoSnapshotInfo>("v2/snapshots?resource_type=droplet", "snapshots", cancellationToken);

    /// <inheritdoc />
    public Task<DoImage> GetImageAsync(string idOrSlug, CancellationToken cancellationToken = default) =>
        GetAsync<DoImage>($"v2/images/{Escape(idOrSlug)}", "image", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoImage>> ListPrivateImagesAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoImage>("v2/images?private=true", "images", cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteImageAsync(long imageId, CancellationToken cancellationToken = default) =>
        DeleteAsync($"v2/images/{Id(imageId)}", cancellationToken);

    /// <inheritdoc />
    public Task<DoAction> TransferImageAsync(long imageId, string region, CancellationToken cancellationToken = default) =>
        ReadPropertyAsync<DoAction>(HttpMethod.Post, $"v2/images/{Id(imageId)}/actions", new DoActionRequest { Type = "transfer", Region = region }, "action",
            cancellationToken);

    /// <inheritdoc />
    public Task<DoAction> GetImageActionAsync(long imageId, long actionId, CancellationToken cancellationToken = default) =>
        GetAsync<DoAction>($"v2/images/{Id(imageId)}/actions/{Id(actionId)}", "action", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoRegion>> ListRegionsAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoRegion>("v2/regions", "regions", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DoSize>> ListSizesAsync(CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<DoSize>("v2/sizes", "sizes", cancellationToken);

    /// <inheritdoc />
    public async Task CreateTagAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, "v2/tags", new { name }, cancellationToken).ConfigureAwait(false);
        }
        catch (DoApiException e) when ((int)e.StatusCode == 422 && e.ApiMessage?.Contains("already", StringComparison.OrdinalIgnoreCase) == true)
        {
            // The tag exists: that is what we wanted.
        }
    }

    /// <inheritdoc />
    public Task TagResourcesAsync(string tag, IEnumerable<DoTaggedResource> resources, CancellationToken cancellationToken = default) =>
        SendTagResourcesAsync(HttpMethod.Post, tag, resources, cancellationToken);

    /// <inheritdoc />
    public Task UntagResourcesAsync(string tag, IEnumerable<DoTaggedResource> resources, CancellationToken cancellationToken = default) =>
        SendTagResourcesAsync(HttpMethod.Delete, tag, resources, cancellationToken);

    private async Task SendTagResourcesAsync(HttpMethod method, string tag, IEnumerable<DoTaggedResource> resources, CancellationToken cancellationToken)
    {
        var body = new { resources = resources.Select(r => new { resource_id = r.ResourceId, resource_type = r.ResourceType }).ToList() };
        using var response = await SendAsync(method, $"v2/tags/{Escape(tag)}/resources", body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<System.Text.Json.JsonElement> UpdateMarketplaceAppAsync(string appId, IReadOnlyDictionary<string, object?> update,
        CancellationToken cancellationToken = default)
    {
        // The Vendor API names its fields in camelCase, unlike v2: the body is sent as given.
        var path = $"api/v1/vendor-portal/apps/{Escape(appId)}";
        using var response = await SendAsync(HttpMethod.Patch, path, update, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength is null or 0)
        {
            return default;
        }

        using var document = await JsonAnswer.ParseAsync(Call(HttpMethod.Patch, path, response), response, cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("app", out var app) ? app.Clone() : document.RootElement.Clone();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindMissingReadScopesAsync(IEnumerable<string> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var missing = new List<string>();
        foreach (var scope in scopes.Distinct(StringComparer.Ordinal).Where(s => !provenScopes.ContainsKey(s)))
        {
            try
            {
                using var response = await SendAsync(HttpMethod.Get, DoApiScopes.ProbeFor(scope), null, cancellationToken).ConfigureAwait(false);
            }
            catch (DoScopeMissingException)
            {
                missing.Add(scope);
            }
        }

        return missing;
    }

    /// <inheritdoc />
    public Task<DoAction> GetDropletActionAsync(long dropletId, long actionId, CancellationToken cancellationToken = default) =>
        GetAsync<DoAction>($"v2/droplets/{Id(dropletId)}/actions/{Id(actionId)}", "action", cancellationToken);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
