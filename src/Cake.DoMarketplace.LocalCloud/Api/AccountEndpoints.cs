using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary><c>/v2/account/keys</c>, <c>/v2/regions</c>, <c>/v2/sizes</c>.</summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder api, SshKeyStore keys)
    {
        api.MapGet("/v2/account/keys", (HttpContext c) => Pagination.Page(c, "ssh_keys", keys.All.Select(ToJson).ToList()));
        api.MapGet("/v2/account/keys/{key}", (string key) => keys.Find(key) is { } found
            ? Results.Json(new { ssh_key = ToJson(found) }, LocalCloudJson.Options) : ApiError.NotFound());
        api.MapPost("/v2/account/keys", async (HttpContext c) =>
        {
            var body = await JsonBody.ReadAsync(c);
            if (body is null)
            {
                return ApiError.BadRequest("The request body must be a JSON object.");
            }

            var (key, error) = keys.Add(JsonBody.String(body.Value, "name"), JsonBody.String(body.Value, "public_key"));
            return key is null ? ApiError.Unprocessable(error!)
                : Results.Json(new { ssh_key = ToJson(key) }, LocalCloudJson.Options, statusCode: StatusCodes.Status201Created);
        });
        api.MapDelete("/v2/account/keys/{key}", (string key) => keys.Remove(key) ? Results.NoContent() : ApiError.NotFound());

        api.MapGet("/v2/regions", (HttpContext c) => Pagination.Page(c, "regions", Catalog.RegionSlugs.Select(CatalogShapes.Region).ToList()));
        api.MapGet("/v2/sizes", (HttpContext c) => Pagination.Page(c, "sizes", Catalog.Sizes.Select(CatalogShapes.Size).ToList()));
    }

    private static object ToJson(SshKeyRecord key) => new { id = key.Id, fingerprint = key.Fingerprint, public_key = key.PublicKey, name = key.Name };
}

/// <summary>Reading request bodies leniently, as JSON objects.</summary>
internal static class JsonBody
{
    public static async Task<JsonElement?> ReadAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? String(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
