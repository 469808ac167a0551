using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary><c>GET/PUT /local-cloud/faults</c>: the local cloud's own control, not part of DigitalOcean's API.</summary>
internal static class FaultEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder api, FaultInjector faults)
    {
        api.MapGet("/local-cloud/faults", () => Results.Json(faults.Current, Json));
        api.MapPut("/local-cloud/faults", async (HttpContext c) =>
        {
            try
            {
                var next = await JsonSerializer.DeserializeAsync<FaultOptions>(c.Request.Body, Json) ?? new FaultOptions();
                faults.Replace(next);
                return Results.Json(next, Json);
            }
            catch (JsonException e)
            {
                return ApiError.BadRequest("Faults must be a JSON object of FaultOptions fields: " + e.Message);
            }
        });
    }
}
