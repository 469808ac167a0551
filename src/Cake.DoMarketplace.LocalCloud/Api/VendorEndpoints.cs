using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>The Marketplace Vendor API: <c>PATCH /api/v1/vendor-portal/apps/{app_id}</c> submits a new image.</summary>
internal static class VendorEndpoints
{
    public static void Map(IEndpointRouteBuilder api, CloudState state, VendorApps apps)
    {
        api.MapGet("/api/v1/vendor-portal/apps/{appId}", (string appId) =>
            apps.Find(appId) is { } app ? OutcomeResults.Json(new { app = Shape(app) }) : ApiError.NotFound());

        api.MapPatch("/api/v1/vendor-portal/apps/{appId}", async (string appId, HttpContext c) =>
        {
            var app = apps.Find(appId);
            if (app is null)
            {
                return ApiError.Create(StatusCodes.Status404NotFound, "not_found", $"App {appId} was not found for this vendor.");
            }

            if (await JsonBody.ReadAsync(c) is not { } body)
            {
                return ApiError.BadRequest("The request body must be a JSON object.");
            }

            var imageId = JsonBody.String(body, "imageId");
            if (imageId is null || state.Image(imageId) is not { IsSnapshot: true } image)
            {
                return ApiError.BadRequest("imageId is required and must be a snapshot image id of this account.");
            }

            lock (app)
            {
                if (app.Status is VendorAppStatus.Pending or VendorAppStatus.InReview)
                {
                    return ApiError.BadRequest($"App {appId} is {app.Status}: updates are not accepted until the current review ends.");
                }

                app.ImageId = image.Id;
                app.ReasonForUpdate = Optional(body, "reasonForUpdate", app.ReasonForUpdate);
                app.OsVersion = Optional(body, "osVersion", app.OsVersion);
                if (body.TryGetProperty("softwareIncluded", out var software) && software.ValueKind != JsonValueKind.Null)
                {
                    app.SoftwareIncluded = software.Clone();
                }

                app.UpdatedAt = DateTimeOffset.UtcNow;
                apps.StartReview(app);
                return OutcomeResults.Json(new { app = Shape(app) });
            }
        });
    }

    // As documented: null (or absent) leaves a field as it is, "" clears it.
    private static string? Optional(JsonElement body, string name, string? current) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? (value.GetString() is { Length: > 0 } text ? text : null)
            : current;

    private static object Shape(VendorApp app) => new
    {
        id = app.Id,
        name = app.Name,
        status = app.Status,
        imageId = app.ImageId,
        reasonForUpdate = app.ReasonForUpdate,
        osVersion = app.OsVersion,
        softwareIncluded = app.SoftwareIncluded,
        updatedAt = app.UpdatedAt,
    };
}
