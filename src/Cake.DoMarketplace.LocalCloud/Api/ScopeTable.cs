namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// The custom scope each emulated endpoint needs, as DigitalOcean's API reference states it per endpoint
/// (<c>Required scopes</c>; the OpenAPI spec's <c>security: bearer_auth</c>). Keyed by method and the route pattern as
/// mapped, so an endpoint mapped without a row here is refused to every scoped token (a test keeps the two in step).
/// </summary>
internal static class ScopeTable
{
    // Where the spec lists two scopes (snapshots: image:* and snapshot:*), the local cloud admits either: droplet
    // snapshots are images, and which of the two DigitalOcean checks was not confirmed.
    private static readonly Dictionary<string, string[]> Rows = new(StringComparer.Ordinal)
    {
        ["GET /v2/account/keys"] = ["ssh_key:read"],
        ["GET /v2/account/keys/{key}"] = ["ssh_key:read"],
        ["POST /v2/account/keys"] = ["ssh_key:create"],
        ["DELETE /v2/account/keys/{key}"] = ["ssh_key:delete"],
        ["GET /v2/regions"] = ["regions:read"],
        ["GET /v2/sizes"] = ["sizes:read"],
        ["POST /v2/droplets"] = ["droplet:create"],
        ["GET /v2/droplets"] = ["droplet:read"],
        ["GET /v2/droplets/{id:long}"] = ["droplet:read"],
        ["DELETE /v2/droplets/{id:long}"] = ["droplet:delete"],
        ["POST /v2/droplets/{id:long}/actions"] = ["droplet:update"],
        ["GET /v2/droplets/{id:long}/actions"] = ["droplet:read"],
        ["GET /v2/droplets/{id:long}/actions/{actionId:long}"] = ["droplet:read"],
        ["GET /v2/droplets/{id:long}/snapshots"] = ["droplet:read"],
        ["GET /v2/actions"] = ["actions:read"],
        ["GET /v2/actions/{id:long}"] = ["actions:read"],
        ["GET /v2/images"] = ["image:read"],
        ["GET /v2/images/{id}"] = ["image:read"],
        ["DELETE /v2/images/{id}"] = ["image:delete"],
        ["POST /v2/images/{id}/actions"] = ["image:create"],
        ["GET /v2/images/{id}/actions/{actionId:long}"] = ["image:read"],
        ["GET /v2/snapshots"] = ["image:read", "snapshot:read"],
        ["GET /v2/snapshots/{id}"] = ["image:read", "snapshot:read"],
        ["DELETE /v2/snapshots/{id}"] = ["image:delete", "snapshot:delete"],
        ["POST /v2/tags"] = ["tag:create"],
        ["GET /v2/tags"] = ["tag:read"],
        ["GET /v2/tags/{name}"] = ["tag:read"],
        ["DELETE /v2/tags/{name}"] = ["tag:delete"],
        ["POST /v2/tags/{name}/resources"] = ["tag:create"],
        ["DELETE /v2/tags/{name}/resources"] = ["tag:delete"],
    };

    /// <summary>
    /// What a droplet create asks for beyond <c>droplet:create</c>, by request field: DigitalOcean lists these as the
    /// scopes associated with <c>droplet:create</c> ("to tag a Droplet during creation, you additionally need tag:create").
    /// </summary>
    private static readonly (string Field, string Scope)[] DropletCreateFields = [("tags", "tag:create"), ("ssh_keys", "ssh_key:read")];

    /// <summary>The method + route pattern keys, for the test that every mapped endpoint has a row.</summary>
    public static IReadOnlyCollection<string> Routes => Rows.Keys;

    /// <summary>
    /// The scopes that admit a request (any one of them), or null when the route is not checked: the local cloud's own
    /// control endpoints, the Vendor API (its scopes are not documented with the v2 ones) and the not-found fallback.
    /// An empty list means no scoped token is admitted (a route without a row).
    /// </summary>
    public static IReadOnlyList<string>? For(string method, string? routePattern)
    {
        if (routePattern is null || !routePattern.StartsWith("/v2/", StringComparison.Ordinal))
        {
            return null;
        }

        return Rows.TryGetValue($"{method} {routePattern}", out var scopes) ? scopes : [];
    }

    /// <summary>The extra scopes a request body asks for (only a droplet create has any): field name → scope.</summary>
    public static IReadOnlyList<(string Field, string Scope)> ForBody(string method, string? routePattern) =>
        method == "POST" && routePattern == "/v2/droplets" ? DropletCreateFields : [];
}
