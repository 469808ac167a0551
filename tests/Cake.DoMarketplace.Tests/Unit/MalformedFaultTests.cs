using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Api;
using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>The local cloud's malformed-answer faults: their options, which requests they take, and the shapes they send.</summary>
public sealed class MalformedFaultTests
{
    private const string DropletJson = """{"droplet":{"id":7,"name":"b","status":"new","region":{"slug":"nyc3"}},"links":{"actions":[]}}""";
    private const string ListJson = """{"droplets":[{"id":7,"status":"new"},{"id":8,"status":"active"}],"links":{},"meta":{"total":2}}""";

    private static CapturedAnswer Json(string body, int status = 200) => new(status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body));

    private static JsonElement Parse(SpoiledAnswer answer) => JsonDocument.Parse(answer.Head).RootElement.Clone();

    [Fact]
    public void The_options_parse_from_the_fault_text_and_unknown_kinds_or_paths_are_refused()
    {
        var faults = FaultOptions.Parse(
            "MalformedAnswers=truncated-json|huge-body,MalformedRate=0.5,MalformedCount=3,MalformedPaths=POST /v2/droplets|GET /v2/droplets/*");

        Assert.Equal(["huge-body", "truncated-json"], faults.MalformedAnswers.Order());
        Assert.Equal(0.5, faults.MalformedRate);
        Assert.Equal(3, faults.MalformedCount);
        Assert.Equal(["POST /v2/droplets", "GET /v2/droplets/*"], faults.MalformedPaths);
        Assert.Contains("Known: truncated-json, html-error", Assert.Throws<FormatException>(() => FaultOptions.Parse("MalformedAnswers=garbled")).Message);
        Assert.Contains("must be [METHOD ]/path",
            Assert.Throws<FormatException>(() => FaultOptions.Parse("MalformedAnswers=html-error,MalformedPaths=v2/droplets")).Message);
        Assert.Throws<FormatException>(() => FaultOptions.Parse("MalformedRate=2"));
    }

    [Theory]
    [InlineData("POST /v2/droplets", "POST", "/v2/droplets", true)]
    [InlineData("POST /v2/droplets", "GET", "/v2/droplets", false)]
    [InlineData("POST /v2/droplets", "POST", "/v2/droplets/7/actions", false)]
    [InlineData("/v2/droplets", "GET", "/v2/droplets", true)]
    [InlineData("get /v2/droplets/*", "GET", "/v2/droplets/7", true)]
    [InlineData("GET /v2/droplets/*", "GET", "/v2/droplets", false)]
    [InlineData("GET /v2/droplets", "GET", "/v2/droplets?per_page=1", true)]
    [InlineData("GET /v2/droplets?tag_name=*", "GET", "/v2/droplets?tag_name=cake-domarketplace-0a1b2c3d&per_page=200", true)]
    [InlineData("GET /v2/droplets?tag_name=*", "GET", "/v2/droplets?per_page=1", false)]
    public void A_route_names_a_method_and_an_exact_path_or_a_prefix_with_a_query_only_when_it_has_one(string route, string method, string path,
        bool matches) =>
        Assert.Equal(matches, MalformedRoute.Parse(route).Matches(method, path));

    [Fact]
    public void The_injector_spoils_matching_requests_up_to_the_count_and_takes_back_a_draw_it_could_not_use()
    {
        var injector = new FaultInjector(FaultOptions.Parse("MalformedAnswers=html-error,MalformedCount=2,MalformedPaths=GET /v2/droplets/*"));

        Assert.Null(injector.TakeMalformedAnswer("DELETE", "/v2/droplets/7"));
        Assert.Equal("html-error", injector.TakeMalformedAnswer("GET", "/v2/droplets/7"));
        Assert.Equal("html-error", injector.TakeMalformedAnswer("GET", "/v2/droplets/7"));
        Assert.Null(injector.TakeMalformedAnswer("GET", "/v2/droplets/7"));
        injector.ReturnMalformedAnswer();
        Assert.Equal("html-error", injector.TakeMalformedAnswer("GET", "/v2/droplets/7"));

        injector.Replace(new FaultOptions());
        Assert.Null(injector.TakeMalformedAnswer("GET", "/v2/droplets/7"));
    }

    [Fact]
    public void Truncated_json_is_the_first_half_of_the_real_body()
    {
        var spoiled = MalformedBodies.Spoil(MalformedAnswerKinds.TruncatedJson, Json(DropletJson), "/v2/droplets/7")!;

        Assert.Equal(DropletJson[..(DropletJson.Length / 2)], Encoding.UTF8.GetString(spoiled.Head));
        Assert.Equal(200, spoiled.Status);
        Assert.Null(MalformedBodies.Spoil(MalformedAnswerKinds.TruncatedJson, new CapturedAnswer(204, null, []), "/v2/droplets/7"));
    }

    [Fact]
    public void An_html_error_is_a_proxys_502_page_whatever_the_answer_was()
    {
        var spoiled = MalformedBodies.Spoil(MalformedAnswerKinds.HtmlError, new CapturedAnswer(204, null, []), "/v2/droplets/7")!;

        Assert.Equal(502, spoiled.Status);
        Assert.Equal("text/html; charset=utf-8", spoiled.ContentType);
        Assert.Contains("<title>502 Bad Gateway</title>", Encoding.UTF8.GetString(spoiled.Head), StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_content_type_is_the_same_json_served_as_text()
    {
        var spoiled = MalformedBodies.Spoil(MalformedAnswerKinds.WrongContentType, Json(DropletJson, 202), "/v2/droplets")!;

        Assert.Equal((202, "text/plain; charset=utf-8", DropletJson), (spoiled.Status, spoiled.ContentType, Encoding.UTF8.GetString(spoiled.Head)));
    }

    [Fact]
    public void Missing_fields_strips_id_status_and_slug_of_the_main_objects_only()
    {
        var one = Parse(MalformedBodies.Spoil(MalformedAnswerKinds.MissingFields, Json(DropletJson), "/v2/droplets/7")!).GetProperty("droplet");
        var list = Parse(MalformedBodies.Spoil(MalformedAnswerKinds.MissingFields, Json(ListJson), "/v2/droplets")!).GetProperty("droplets");

        Assert.False(one.TryGetProperty("id", out _) || one.TryGetProperty("status", out _));
        Assert.Equal("b", one.GetProperty("name").GetString());
        Assert.Equal("nyc3", one.GetProperty("region").GetProperty("slug").GetString());
        Assert.All(list.EnumerateArray(), d => Assert.False(d.TryGetProperty("id", out _)));
        Assert.Null(MalformedBodies.Spoil(MalformedAnswerKinds.MissingFields, Json("""{"links":{}}"""), "/v2/x"));
    }

    [Fact]
    public void A_foreign_next_link_points_list_pages_to_another_host()
    {
        var page = Parse(MalformedBodies.Spoil(MalformedAnswerKinds.ForeignNextLink, Json(ListJson), "/v2/droplets")!);

        Assert.Equal("https://evil.example.net/v2/droplets?page=2&per_page=200",
            page.GetProperty("links").GetProperty("pages").GetProperty("next").GetString());
        Assert.Equal(2, page.GetProperty("droplets").GetArrayLength());
        Assert.Null(MalformedBodies.Spoil(MalformedAnswerKinds.ForeignNextLink, Json(DropletJson), "/v2/droplets/7"));
    }

    [Fact]
    public void A_huge_body_is_the_real_object_padded_to_64_MiB_as_valid_json()
    {
        var spoiled = MalformedBodies.Spoil(MalformedAnswerKinds.HugeBody, Json(DropletJson), "/v2/droplets/7")!;
        var small = Encoding.UTF8.GetString(spoiled.Head) + new string('x', 10) + Encoding.UTF8.GetString(spoiled.Tail!);

        Assert.Equal(64L * 1024 * 1024, spoiled.Padding);
        using var document = JsonDocument.Parse(small);
        Assert.Equal(7, document.RootElement.GetProperty("droplet").GetProperty("id").GetInt64());
        Assert.Equal(10, document.RootElement.GetProperty("padding").GetString()!.Length);
    }
}
