using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary><c>/v2/images</c>, image actions, <c>/v2/snapshots</c> and <c>/v2/tags</c>.</summary>
internal static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder api, CloudState state, ImageService images)
    {
        api.MapGet("/v2/images", (HttpContext c) =>
        {
            var query = c.Request.Query;
            IEnumerable<ImageRecord> list = state.Images;
            if (query["private"] == "true")
            {
                list = list.Where(i => !i.Public);
            }

            list = query["type"].ToString() switch
            {
                "distribution" => list.Where(i => i.Type == "base"),
                "application" => list.Where(_ => false),
                _ => list,
            };
            if (query["tag_name"].ToString() is { Length: > 0 } tag)
            {
                list = list.Where(i => state.Locked(() => i.Tags.Contains(tag)));
            }

            return Pagination.Page(c, "images", list.Select(i => state.Locked(() => Shapes.Image(i))).ToList());
        });

        api.MapGet("/v2/images/{id}", (string id) =>
            state.Image(id) is { } i ? OutcomeResults.Json(new { image = state.Locked(() => Shapes.Image(i)) }) : ApiError.NotFound());

        api.MapDelete("/v2/images/{id}", async (string id) => (await images.DeleteAsync(id)).ToResult(_ => new { }));

        api.MapPost("/v2/images/{id}/actions", async (string id, HttpContext c) =>
            await JsonBody.ReadAsync(c) is { } body
                ? images.Act(id, RequestParsing.Action(body)).ToResult(a => new { action = Shapes.Action(a, state) })
                : ApiError.BadRequest("The request body must be a JSON object."));

        api.MapGet("/v2/images/{id}/actions/{actionId:long}", (string id, long actionId) =>
            state.Image(id) is { } i && state.Action(actionId) is { ResourceType: "image" } a && a.ResourceId == i.Id
                ? OutcomeResults.Json(new { action = Shapes.Action(a, state) })
                : ApiError.NotFound());

        api.MapGet("/v2/snapshots", (HttpContext c) =>
            c.Request.Query["resource_type"] == "volume"
                ? Pagination.Page(c, "snapshots", Array.Empty<object>())
                : Pagination.Page(c, "snapshots", state.Images.Where(i => i.IsSnapshot).Select(i => state.Locked(() => Shapes.Snapshot(i))).ToList()));

        api.MapGet("/v2/snapshots/{id}", (string id) =>
            state.Image(id) is { IsSnapshot: true } i ? OutcomeResults.Json(new { snapshot = state.Locked(() => Shapes.Snapshot(i)) }) : ApiError.NotFound());

        api.MapDelete("/v2/snapshots/{id}", async (string id) => (await images.DeleteAsync(id)).ToResult(_ => new { }));

        TagEndpoints.Map(api, state);
    }
}
