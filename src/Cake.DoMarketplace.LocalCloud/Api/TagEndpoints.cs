using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary><c>/v2/tags</c>: tags and tagging droplets and images.</summary>
internal static class TagEndpoints
{
    public static void Map(IEndpointRouteBuilder api, CloudState state)
    {
        api.MapPost("/v2/tags", async (HttpContext c) =>
        {
            var name = await JsonBody.ReadAsync(c) is { } body ? JsonBody.String(body, "name") : null;
            if (name is null || DropletRules.TagRefusal(name) is not null)
            {
                return ApiError.Unprocessable("Tag name is invalid: only letters, numbers, colons, dashes and underscores are allowed.");
            }

            state.AddTag(name);
            return OutcomeResults.Json(new { tag = Tag(state, name) }, StatusCodes.Status201Created);
        });
        api.MapGet("/v2/tags", (HttpContext c) => Pagination.Page(c, "tags", state.Tags.Order(StringComparer.Ordinal).Select(t => Tag(state, t)).ToList()));
        api.MapGet("/v2/tags/{name}", (string name) => state.Tags.Contains(name) ? OutcomeResults.Json(new { tag = Tag(state, name) }) : ApiError.NotFound());
        api.MapDelete("/v2/tags/{name}", (string name) =>
        {
            if (!state.RemoveTag(name))
            {
                return ApiError.NotFound();
            }

            Retag(state, name, [], remove: true, all: true);
            return Results.NoContent();
        });
        api.MapPost("/v2/tags/{name}/resources", async (string name, HttpContext c) => await Apply(state, name, c, remove: false));
        api.MapDelete("/v2/tags/{name}/resources", async (string name, HttpContext c) => await Apply(state, name, c, remove: true));
    }

    private static async Task<IResult> Apply(CloudState state, string name, HttpContext c, bool remove)
    {
        if (!state.Tags.Contains(name))
        {
            return ApiError.NotFound();
        }

        if (await JsonBody.ReadAsync(c) is not { } body || !body.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return ApiError.BadRequest("resources must be an array of {resource_id, resource_type}.");
        }

        var targets = resources.EnumerateArray().Select(r => (Id: JsonBody.String(r, "resource_id"), Type: JsonBody.String(r, "resource_type"))).ToList();
        if (targets.Any(t => t.Id is null || t.Type is not ("droplet" or "image")))
        {
            return ApiError.Unprocessable("resource_type must be droplet or image, with a resource_id.");
        }

        return Retag(state, name, targets!, remove, all: false) ? Results.NoContent() : ApiError.NotFound();
    }

    private static bool Retag(CloudState state, string name, List<(string Id, string Type)> targets, bool remove, bool all)
    {
        var found = true;
        state.Locked(() =>
        {
            foreach (
                var droplet in state.Droplets.Where(d => all
                || targets.Contains((d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "droplet"))))
            {
                droplet.Tags = remove ? droplet.Tags.Where(t => t != name).ToList() : droplet.Tags.Append(name).Distinct().ToList();
            }

            foreach (var image in state.Images.Where(i => all || targets.Contains((i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "image"))))
            {
                image.Tags.Remove(name);
                if (!remove)
                {
                    image.Tags.Add(name);
                }
            }

            found = all || targets.All(t => t.Type == "droplet"
                ? state.Droplets.Any(d => d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == t.Id)
                : state.Images.Any(i => i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == t.Id));
        });
        state.Save();
        return found;
    }

    private static object Tag(CloudState state, string name)
    {
        var droplets = state.Droplets.Count(d => state.Locked(() => d.Tags.Contains(name)));
        var images = state.Images.Count(i => state.Locked(() => i.Tags.Contains(name)));
        return new
        {
            name,
            resources = new
            {
                count = droplets + images,
                droplets = new { count = droplets },
                images = new { count = images },
                volumes = new { count = 0 },
                volume_snapshots = new { count = 0 },
                databases = new { count = 0 },
            },
        };
    }
}
