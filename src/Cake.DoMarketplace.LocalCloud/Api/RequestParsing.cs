using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>Request bodies read into the records the services take: JSON stays in the API layer.</summary>
internal static class RequestParsing
{
    public static DropletCreateRequest DropletCreate(JsonElement body) => new(
        JsonBody.String(body, "name"),
        JsonBody.String(body, "region"),
        JsonBody.String(body, "size"),
        JsonBody.String(body, "image"),
        Strings(body, "ssh_keys"),
        Strings(body, "tags"),
        JsonBody.String(body, "user_data"),
        JsonBody.String(body, "vpc_uuid"),
        Flag(body, "monitoring"),
        Flag(body, "ipv6"),
        Flag(body, "backups"),
        body.TryGetProperty("with_droplet_agent", out var agent) && agent.ValueKind is JsonValueKind.True or JsonValueKind.False ? agent.GetBoolean() : null);

    public static ActionRequest Action(JsonElement body) =>
        new(JsonBody.String(body, "type"), JsonBody.String(body, "name"), JsonBody.String(body, "region"));

    private static bool Flag(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static List<string> Strings(JsonElement body, string name) =>
        body.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList()
            : [];
}
