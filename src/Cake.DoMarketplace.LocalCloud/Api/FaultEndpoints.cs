using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary><c>GET/PUT /local-cloud/faults</c>: the local cloud's own control, not part of DigitalOcean's API.</summary>
internal static class FaultEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder api, FaultInjector faults, Machines.IMachineHost host)
    {
        // Cuts the SSH connections of a running droplet now (the connection dropped during a command).
        api.MapPost("/local-cloud/droplets/{id:long}/drop-ssh", async (long id) =>
        {
            await host.DropSshConnectionsAsync(id);
            return Results.NoContent();
        });

        api.MapGet("/local-cloud/faults", () => Results.Json(faults.Current, Json));
        api.MapPut("/local-cloud/faults", async (HttpContext c) =>
        {
            try
            {
                var next = await JsonSerializer.DeserializeAsync<FaultOptions>(c.Request.Body, Json) ?? new FaultOptions();
                next.Validate();
                faults.Replace(next);
                return Results.Json(next, Json);
            }
            catch (JsonException e)
            {
                return ApiError.BadRequest("Faults must be a JSON object of FaultOptions fields: " + e.Message);
            }
            catch (FormatException e)
            {
                return ApiError.BadRequest(e.Message);
            }
        });
    }
}
