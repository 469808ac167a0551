using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>DigitalOcean's JSON conventions: snake_case names.</summary>
internal static class LocalCloudJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
