using System.Text;
using System.Text.Json.Nodes;
using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>An endpoint's answer as it would have been sent.</summary>
internal sealed record CapturedAnswer(int Status, string? ContentType, byte[] Body)
{
    public bool IsJsonSuccess =>
        Status is >= 200 and < 300 && Body.Length > 0 && ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>The answer to send instead: <paramref name="Head"/>, then <paramref name="Padding"/> bytes of <c>x</c>, then <paramref name="Tail"/>.</summary>
internal sealed record SpoiledAnswer(int Status, string? ContentType, byte[] Head, long Padding = 0, byte[]? Tail = null);

/// <summary>How each <see cref="MalformedAnswerKinds">kind</see> spoils an answer; pure, so the shapes are tested alone.</summary>
internal static class MalformedBodies
{
    public const string ForeignOrigin = "https://evil.example.net";

    public const long HugeBodyBytes = 64L * 1024 * 1024;

    private static readonly string[] StrippedFields = ["id", "status", "slug"];

    private static readonly byte[] ProxyPage = Encoding.UTF8.GetBytes(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
            + "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");

    /// <summary>The spoiled answer, or null when this answer has nothing that kind could spoil (no body, no list).</summary>
    public static SpoiledAnswer? Spoil(string kind, CapturedAnswer answer, string path)
    {
        if (kind == MalformedAnswerKinds.HtmlError)
        {
            return new SpoiledAnswer(502, "text/html; charset=utf-8", ProxyPage);
        }

        if (!answer.IsJsonSuccess || JsonNode.Parse(answer.Body) is not JsonObject root)
        {
            return null;
        }

        return kind switch
        {
            MalformedAnswerKinds.TruncatedJson => new SpoiledAnswer(answer.Status, answer.ContentType, answer.Body[..(answer.Body.Length / 2)]),
            MalformedAnswerKinds.WrongContentType => new SpoiledAnswer(answer.Status, "text/plain; charset=utf-8", answer.Body),
            MalformedAnswerKinds.MissingFields => WithoutFields(answer, root),
            MalformedAnswerKinds.ForeignNextLink => WithForeignNext(answer, root, path),
            MalformedAnswerKinds.HugeBody => Padded(answer, root),
            _ => null,
        };
    }

    private static IEnumerable<JsonObject> MainObjects(JsonObject root) =>
        root.Where(p => p.Key is not "links" and not "meta")
            .SelectMany(p => p.Value switch
            {
                JsonObject one => [one],
                JsonArray many => many.OfType<JsonObject>(),
                _ => [],
            });

    private static SpoiledAnswer? WithoutFields(CapturedAnswer answer, JsonObject root)
    {
        var removed = false;
        foreach (var main in MainObjects(root).ToList())
        {
            foreach (var field in StrippedFields)
            {
                removed |= main.Remove(field);
            }
        }

        return removed ? new SpoiledAnswer(answer.Status, answer.ContentType, Encoding.UTF8.GetBytes(root.ToJsonString())) : null;
    }

    private static SpoiledAnswer? WithForeignNext(CapturedAnswer answer, JsonObject root, string path)
    {
        if (!root.Any(p => p.Key is not "links" and not "meta" && p.Value is JsonArray))
        {
            return null;
        }

        var elsewhere = $"{ForeignOrigin}{path}?page=2&per_page=200";
        root["links"] = new JsonObject { ["pages"] = new JsonObject { ["next"] = elsewhere, ["last"] = elsewhere } };
        return new SpoiledAnswer(answer.Status, answer.ContentType, Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    /// <summary>The real object with a <c>padding</c> string member: valid JSON a client reading it all would accept.</summary>
    private static SpoiledAnswer Padded(CapturedAnswer answer, JsonObject root)
    {
        var text = root.ToJsonString();
        var head = text[..^1] + (root.Count > 0 ? "," : string.Empty) + "\"padding\":\"";
        return new SpoiledAnswer(answer.Status, answer.ContentType, Encoding.UTF8.GetBytes(head), HugeBodyBytes, "\"}"u8.ToArray());
    }
}
