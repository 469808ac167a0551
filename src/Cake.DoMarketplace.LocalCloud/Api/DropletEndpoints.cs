using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary><c>/v2/droplets</c>, droplet actions and <c>/v2/actions</c>.</summary>
internal static class DropletEndpoints
{
    public static void Map(IEndpointRouteBuilder api, CloudState state, DropletService droplets)
    {
        api.MapPost("/v2/droplets", async (HttpContext c) =>
        {
            if (await JsonBody.ReadAsync(c) is not { } body)
            {
                return ApiError.BadRequest("The request body must be a JSON object.");
            }

            if (body.TryGetProperty("names", out _))
            {
                return ApiError.Unprocessable("Creating several droplets at once (names) is not supported by the local cloud; send one request per droplet.");
            }

            return droplets.Create(RequestParsing.DropletCreate(body)).ToResult(d =>
            {
                var create = state.ActionsOf(d.Id)[0];
                return new
                {
                    droplet = Shapes.Droplet(d, state),
                    links = new { actions = new[] { new { id = create.Id, rel = "create",
                        href = $"{c.Request.Scheme}://{c.Request.Host}/v2/actions/{create.Id}" } } },
                };
            });
        });

        api.MapGet("/v2/droplets", (HttpContext c) =>
        {
            var tag = c.Request.Query["tag_name"].ToString();
            var list = state.Droplets.Where(d => tag.Length == 0 || state.Locked(() => d.Tags.Contains(tag)));
            return Pagination.Page(c, "droplets", list.Select(d => Shapes.Droplet(d, state)).ToList());
        });

        api.MapGet("/v2/droplets/{id:long}", (long id) =>
            state.Droplet(id) is { } d ? OutcomeResults.Json(new { droplet = Shapes.Droplet(d, state) }) : ApiError.NotFound());

        api.MapDelete("/v2/droplets/{id:long}", async (long id) => (await droplets.DeleteAsync(id)).ToResult(_ => new { }));

        api.MapPost("/v2/droplets/{id:long}/actions", async (long id, HttpContext c) =>
            await JsonBody.ReadAsync(c) is { } body
                ? droplets.Act(id, RequestParsing.Action(body)).ToResult(a => new { action = Shapes.Action(a, state) })
                : ApiError.BadRequest("The request body must be a JSON object."));

        api.MapGet("/v2/droplets/{id:long}/actions", (long id, HttpContext c) =>
            state.Droplet(id) is null ? ApiError.NotFound() : Pagination.Page(c, "actions", state.ActionsOf(id).Select(a => Shapes.Action(a, state)).ToList()));

        api.MapGet("/v2/droplets/{id:long}/actions/{actionId:long}", (long id, long actionId) =>
            state.Action(actionId) is { ResourceType: "droplet" } a && a.ResourceId == id ? OutcomeResults.Json(new { action = Shapes.Action(a, state) })
                : ApiError.NotFound());

        api.MapGet("/v2/droplets/{id:long}/snapshots", (long id, HttpContext c) =>
            state.Droplet(id) is not { } d ? ApiError.NotFound()
            : Pagination.Page(c, "snapshots",
                state.Locked(() => d.SnapshotIds.ToList()).Select(s
                => state.Image(s.ToString(System.Globalization.CultureInfo.InvariantCulture))).OfType<ImageRecord>().Select(Shapes.DropletSnapshot).ToList()));

        api.MapGet("/v2/actions", (HttpContext c)
            => Pagination.Page(c, "actions",
            state.Locked(() => state.Droplets.SelectMany(d => d.ActionIds).ToList()).Select(state.Action).OfType<ActionRecord>().Select(a
            => Shapes.Action(a, state)).ToList()));

        api.MapGet("/v2/actions/{id:long}", (long id) =>
            state.Action(id) is { } a ? OutcomeResults.Json(new { action = Shapes.Action(a, state) }) : ApiError.NotFound());
    }
}
