using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class PaginationTests
{
    private const string Base = "http://127.0.0.1:7117/v2/droplets";

    private static async Task<JsonElement> PageAsync(string query, int count)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("127.0.0.1", 7117);
        context.Request.Path = "/v2/droplets";
        context.Request.QueryString = new QueryString(query);
        using var body = new MemoryStream();
        context.Response.Body = body;

        await Pagination.Page(context, "droplets", Enumerable.Range(1, count).ToList()).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        return JsonDocument.Parse(body.ToArray()).RootElement.Clone();
    }

    private static int[] Items(JsonElement page) => page.GetProperty("droplets").EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static Dictionary<string, string> Links(JsonElement page) =>
        page.GetProperty("links").TryGetProperty("pages", out var pages)
            ? pages.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];

    [Fact]
    public async Task A_middle_page_links_first_prev_next_and_last_keeping_other_query_values()
    {
        var page = await PageAsync("?tag_name=web&page=2&per_page=2", 5);

        Assert.Equal([3, 4], Items(page));
        Assert.Equal(5, page.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["first"] = Base + "?tag_name=web&page=1&per_page=2",
                ["prev"] = Base + "?tag_name=web&page=1&per_page=2",
                ["next"] = Base + "?tag_name=web&page=3&per_page=2",
                ["last"] = Base + "?tag_name=web&page=3&per_page=2",
            },
            Links(page));
    }

    [Fact]
    public async Task The_first_page_has_no_first_or_prev_and_the_last_no_next_or_last()
    {
        var first = await PageAsync("?per_page=2", 5);
        var last = await PageAsync("?per_page=2&page=3", 5);

        Assert.Equal([1, 2], Items(first));
        Assert.Equal(["next", "last"], Links(first).Keys);
        Assert.Equal([5], Items(last));
        Assert.Equal(["first", "prev"], Links(last).Keys);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("", 20)]
    [InlineData("?per_page=200", 200)]
    public async Task A_single_page_has_an_empty_links_object(string query, int count)
    {
        var page = await PageAsync(query, count);

        Assert.Equal(count, Items(page).Length);
        Assert.Equal(JsonValueKind.Object, page.GetProperty("links").ValueKind);
        Assert.Empty(page.GetProperty("links").EnumerateObject());
        Assert.Equal(count, page.GetProperty("meta").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("", 20)]
    [InlineData("?per_page=500", 200)]
    [InlineData("?per_page=0", 1)]
    [InlineData("?per_page=-3", 1)]
    [InlineData("?per_page=many", 20)]
    public async Task Per_page_defaults_to_20_and_is_kept_between_1_and_200(string query, int perPage)
    {
        var page = await PageAsync(query, 450);

        Assert.Equal(Enumerable.Range(1, perPage), Items(page));
        Assert.EndsWith($"per_page={perPage}", Links(page)["next"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?page=-1")]
    [InlineData("?page=first")]
    public async Task A_page_below_one_or_not_a_number_is_the_first(string query)
    {
        var page = await PageAsync(query + "&per_page=2", 3);

        Assert.Equal([1, 2], Items(page));
        Assert.False(Links(page).ContainsKey("prev"));
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_and_points_back()
    {
        var page = await PageAsync("?page=9&per_page=2", 3);

        Assert.Empty(Items(page));
        Assert.Equal(Base + "?page=8&per_page=2", Links(page)["prev"]);
        Assert.False(Links(page).ContainsKey("next"));
    }

    [Fact]
    public async Task Other_query_values_are_escaped_in_the_links()
    {
        var page = await PageAsync("?tag_name=a%20b%26c&per_page=1", 2);

        Assert.Equal(Base + "?tag_name=a%20b%26c&page=2&per_page=1", Links(page)["next"]);
    }
}
