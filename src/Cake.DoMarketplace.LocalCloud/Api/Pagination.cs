namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>DigitalOcean's paging: <c>page</c>, <c>per_page</c> (default 20, at most 200), <c>links.pages</c>, <c>meta.total</c>.</summary>
internal static class Pagination
{
    public static IResult Page<T>(HttpContext context, string collection, IReadOnlyList<T> items)
    {
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], out var p) ? Math.Clamp(p, 1, 200) : 20;
        var page = int.TryParse(query["page"], out var n) ? Math.Max(1, n) : 1;
        var last = Math.Max(1, (int)Math.Ceiling(items.Count / (double)perPage));
        var slice = items.Skip((page - 1) * perPage).Take(perPage).ToList();

        var pages = new Dictionary<string, string>();
        if (page > 1)
        {
            pages["first"] = Link(context, 1, perPage);
            pages["prev"] = Link(context, page - 1, perPage);
        }

        if (page < last)
        {
            pages["next"] = Link(context, page + 1, perPage);
            pages["last"] = Link(context, last, perPage);
        }

        var body = new Dictionary<string, object>
        {
            [collection] = slice!,
            ["links"] = pages.Count == 0 ? new Dictionary<string, object>() : new Dictionary<string, object> { ["pages"] = pages },
            ["meta"] = new { total = items.Count },
        };
        return Results.Json(body, LocalCloudJson.Options);
    }

    private static string Link(HttpContext context, int page, int perPage)
    {
        var query = context.Request.Query
            .Where(q => q.Key is not "page" and not "per_page")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"page={page}")
            .Append($"per_page={perPage}");
        return $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?{string.Join('&', query)}";
    }
}
