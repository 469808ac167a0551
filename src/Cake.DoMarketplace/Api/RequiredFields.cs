using System.Text.Json;
using Cake.DoMarketplace.Api.Models;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// The fields without which a model is unusable: deserialized without them, a droplet would have id 0 and no status,
/// and the build would act on a droplet that does not exist.
/// </summary>
internal static class RequiredFields
{
    private static readonly Dictionary<Type, string[]> Fields = new()
    {
        [typeof(DoDroplet)] = ["id", "status"],
        [typeof(DoAction)] = ["id", "status"],
        [typeof(DoSshKey)] = ["id", "fingerprint"],
        [typeof(DoImage)] = ["id"],
        [typeof(DoSnapshotInfo)] = ["id"],
        [typeof(DoRegion)] = ["slug"],
        [typeof(DoSize)] = ["slug"],
    };

    /// <summary>
    /// The first required field of <paramref name="type"/> that <paramref name="element"/> lacks (absent, null, an empty
    /// string, an id of 0), or null. Anything but an object is left to the deserializer to refuse.
    /// </summary>
    public static string? FirstMissing(JsonElement element, Type type) =>
        element.ValueKind == JsonValueKind.Object && Fields.TryGetValue(type, out var names)
            ? names.FirstOrDefault(name => !element.TryGetProperty(name, out var value) || IsEmpty(name, value))
            : null;

    private static bool IsEmpty(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => value.GetString() is not { Length: > 0 } text || (name == "id" && text == "0"),
        JsonValueKind.Number => name == "id" && value.TryGetInt64(out var id) && id == 0,
        _ => false,
    };
}
