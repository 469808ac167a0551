using System.Text.Json;

namespace Cake.DoMarketplace.Api;

/// <summary>Listings: every page, through <c>links.pages.next</c>, on our own base address only.</summary>
internal sealed partial class DoApiClient
{
    private const int MaxPages = 1000;

    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(string path, string collection, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var listing = path.Split('?')[0];
        string? next = path + (path.Contains('?') ? "&" : "?") + "per_page=200";
        for (var page = 0; next is not null; page++)
        {
            if (page >= MaxPages)
            {
                throw new DoApiProtocolException(HttpMethod.Get.Method, path, $"DigitalOcean API {path} returned more than {MaxPages} pages; stopping.");
            }

            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken).ConfigureAwait(false);
            var call = Call(HttpMethod.Get, next, response);
            using var document = await JsonAnswer.ParseAsync(call, response, cancellationToken).ConfigureAwait(false);
            items.AddRange(JsonAnswer.Items<T>(call, document.RootElement, collection));
            next = NextPage(call, document.RootElement, listing);
        }

        return items;
    }

    /// <summary>
    /// The next page of <paramref name="listing"/> as a path for our own base address, or null after the last page. Its
    /// link must name our own host, or DigitalOcean's (a proxy at <c>DIGITALOCEAN_API_URL</c> may pass its links on
    /// unchanged), and the same listing: any other would take the token elsewhere or mix in another listing's items.
    /// </summary>
    private string? NextPage(ApiCall call, JsonElement root, string listing)
    {
        if (!(root.ValueKind == JsonValueKind.Object
              && root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object
              && links.TryGetProperty("pages", out var pages) && pages.ValueKind == JsonValueKind.Object
              && pages.TryGetProperty("next", out var next) && next.ValueKind != JsonValueKind.Null))
        {
            return null;
        }

        if (next.ValueKind != JsonValueKind.String || !Uri.TryCreate(next.GetString(), UriKind.Absolute, out var link)
            || (link.Scheme != Uri.UriSchemeHttps && link.Scheme != Uri.UriSchemeHttp))
        {
            throw call.Error("a next-page link that is not an http(s) address; the listing would be incomplete");
        }

        var own = new Uri(BaseUrl, listing);
        var ours = Uri.Compare(link, own, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        var digitalOceans = link.Scheme == Uri.UriSchemeHttps && link.Host.Equals(DoApiOptions.DefaultBaseUrl.Host, StringComparison.OrdinalIgnoreCase);
        if (!ours && !digitalOceans)
        {
            throw call.Error(
                $"a next-page link to another host ({link.Host}); not followed, so the API token goes nowhere else, and the listing is incomplete");
        }

        if (!string.Equals(link.AbsolutePath, ours ? own.AbsolutePath : "/" + listing, StringComparison.Ordinal))
        {
            throw call.Error($"a next-page link to another listing ({link.AbsolutePath}); not followed, and the listing is incomplete");
        }

        return listing + link.Query;
    }
}
