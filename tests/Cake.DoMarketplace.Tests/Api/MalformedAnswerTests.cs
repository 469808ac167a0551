using System.Diagnostics;
using System.Net;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Api;

/// <summary>
/// Malformed and hostile answers on a real loopback listener: each ends in one clear typed error (or a retry where
/// resending is safe), never with the token in it, and a write's unusable answer is marked for a look-up.
/// </summary>
public sealed class MalformedAnswerTests : IAsyncLifetime
{
    private const string Token = "dop_v1_malformedtoken0123456789abcdef0123456789abcdef0123456789ab";
    private const string Droplet = """{"droplet":{"id":42,"name":"build","status":"active","locked":false,"tags":["t"]}}""";
    private const string ProxyPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad "
        + "Gateway</h1></center><hr><center>nginx</center></body>\r\n</html>";
    private static readonly DoDropletCreateRequest Create = new() { Name = "b", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64",
        Tags = ["build-1"] };
    private CannedApiServer server = null!;

    public async Task InitializeAsync() => server = await CannedApiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private DoApiClient Client(int retries = 2) => new(
        new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl, MaxRetries = retries, RetryWaitMin = TimeSpan.FromMilliseconds(10),
            RetryWaitMax = TimeSpan.FromMilliseconds(50) },
        new RecordingLog());

    private static T Clean<T>(T error)
        where T : Exception
    {
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public async Task Truncated_json_is_one_protocol_error_and_a_get_is_not_resent()
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(200, Droplet[..(Droplet.Length / 2)]));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.GetDropletAsync(42)));

        Assert.StartsWith(
            $"DigitalOcean API answered GET /v2/droplets/42 with JSON that does not parse (200, {Droplet.Length / 2} bytes; cut off or corrupt): ",
            error.Message, StringComparison.Ordinal);
        Assert.True(error.RequestAccepted);
        Assert.Single(server.RequestsTo("GET", "/v2/droplets/42"));
    }

    [Fact]
    public async Task An_unusable_answer_to_a_create_may_have_happened_and_the_client_never_resends_it()
    {
        server.On("POST", "/v2/droplets", new CannedResponse(202, Droplet[..20]));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.CreateDropletAsync(Create)));

        Assert.True(error.RequestAccepted);
        Assert.True(OutcomeClassifier.MayHaveHappened(error, CancellationToken.None));
        Assert.False(OutcomeClassifier.IsUnknownOutcome(error, CancellationToken.None)); // so reads are not retried on it
        Assert.Single(server.RequestsTo("POST", "/v2/droplets"));
    }

    [Fact]
    public async Task A_create_with_an_unusable_answer_is_looked_up_by_its_tag_instead_of_being_sent_again()
    {
        server.On("POST", "/v2/droplets", new CannedResponse(202, Droplet, ContentType: "text/html"));
        server.On("GET", "/v2/droplets",
            new CannedResponse(200, """{"droplets":[{"id":42,"name":"b","status":"new","tags":["build-1"]}],"links":{},"meta":{"total":1}}"""));
        var log = new RecordingLog();
        using var client = Client();

        var made = await new Resender(log).SendOnceAsync(
            "creating the droplet",
            t => client.CreateDropletAsync(Create, t),
            async t => (await client.ListDropletsByTagAsync("build-1", t)) is [var found] ? (true, found) : (false, null!),
            CancellationToken.None);

        Assert.Equal(42, made.Id);
        Assert.Single(server.RequestsTo("POST", "/v2/droplets"));
        Assert.Contains("Creating the droplet gave no usable answer (DigitalOcean API answered POST /v2/droplets with text/html (202) instead of JSON",
            log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxys_html_error_page_on_a_get_is_retried_then_named_with_its_title()
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(502, ProxyPage, ContentType: "text/html"));
        using var client = Client(retries: 2);

        var error = Clean(await Assert.ThrowsAsync<DoApiException>(() => client.GetDropletAsync(42)));

        Assert.Equal(
            "DigitalOcean API answered GET /v2/droplets/42 with text/html (502) instead of JSON: a proxy or gateway error page (\"502 Bad Gateway\"); try "
                + "again later",
            error.Message);
        Assert.Equal("text/html", error.ContentType);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(3, server.RequestsTo("GET", "/v2/droplets/42").Count);
    }

    [Fact]
    public async Task One_html_error_page_on_a_get_is_ridden_out()
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(502, ProxyPage, ContentType: "text/html"), new CannedResponse(200, Droplet));
        using var client = Client();

        Assert.Equal("active", (await client.GetDropletAsync(42)).Status);
        Assert.Equal(2, server.RequestsTo("GET", "/v2/droplets/42").Count);
    }

    [Fact]
    public async Task An_html_error_page_on_a_create_is_not_resent_by_the_client_but_left_to_the_look_up()
    {
        server.On("POST", "/v2/droplets", new CannedResponse(502, ProxyPage, ContentType: "text/html"));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiException>(() => client.CreateDropletAsync(Create)));

        Assert.Contains("POST /v2/droplets with text/html (502) instead of JSON", error.Message, StringComparison.Ordinal);
        Assert.True(OutcomeClassifier.IsUnknownOutcome(error, CancellationToken.None));
        Assert.Single(server.RequestsTo("POST", "/v2/droplets"));
    }

    [Theory]
    [InlineData(403, "a page of a proxy or firewall between this machine and the API")]
    [InlineData(404, "a page of something between this machine and the API (a proxy, gateway or captive portal)")]
    public async Task Other_error_pages_say_what_they_probably_are(int status, string expected)
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(status, "<html><body>Access denied</body></html>", ContentType: "text/html"));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiException>(() => client.GetDropletAsync(42)));

        Assert.Contains($"with text/html ({status}) instead of JSON: {expected}", error.Message, StringComparison.Ordinal);
        Assert.Null(error.ApiMessage);
    }

    [Fact]
    public async Task Json_served_as_text_plain_is_refused_without_retrying()
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(200, Droplet, ContentType: "text/plain; charset=utf-8"));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.GetDropletAsync(42)));

        Assert.StartsWith("DigitalOcean API answered GET /v2/droplets/42 with text/plain (200) instead of JSON: something between this machine and the API",
            error.Message, StringComparison.Ordinal);
        Assert.Single(server.RequestsTo("GET", "/v2/droplets/42"));
    }

    [Theory]
    [InlineData("""{"droplet":{"name":"b","status":"new"}}""", "with a 'droplet' lacking the required field 'id' (200)")]
    [InlineData("""{"droplet":{"id":0,"name":"b","status":"new"}}""", "with a 'droplet' lacking the required field 'id' (200)")]
    [InlineData("""{"droplet":{"id":42,"name":"b"}}""", "with a 'droplet' lacking the required field 'status' (200)")]
    [InlineData("""{"droplet":{"id":42,"status":null}}""", "with a 'droplet' lacking the required field 'status' (200)")]
    [InlineData("""{}""", "with no 'droplet' property (200)")]
    [InlineData("""{"droplet":null}""", "with a null 'droplet' (200)")]
    [InlineData("""{"droplet":{"id":"abc","status":"new"}}""",
        "with a 'droplet' that does not match DigitalOcean's schema (200): The JSON value could not be converted")]
    [InlineData("""[1,2]""", "with no 'droplet' property (200)")]
    public async Task A_success_without_the_fields_the_build_needs_names_what_is_missing(string body, string expected)
    {
        server.On("GET", "/v2/droplets/42", new CannedResponse(200, body));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.GetDropletAsync(42)));

        Assert.Contains("DigitalOcean API answered GET /v2/droplets/42 " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_item_without_an_id_names_the_item()
    {
        server.On("GET", "/v2/droplets",
            new CannedResponse(200, """{"droplets":[{"id":1,"status":"active"},{"name":"x","status":"new"}],"links":{},"meta":{"total":2}}"""));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.ListDropletsByTagAsync("t")));

        Assert.Equal(
            "DigitalOcean API answered GET /v2/droplets?tag_name=t&per_page=200 with a 'droplets' item (#2 of the page) lacking the required field 'id' (200)",
            error.Message);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("https://evil.example.net/v2/droplets?page=2&per_page=200",
        "a next-page link to another host (evil.example.net); not followed, so the API token goes nowhere else")]
    [InlineData("http://api.digitalocean.com/v2/droplets?page=2", "a next-page link to another host (api.digitalocean.com)")]
    [InlineData("{base}/v2/account/keys?page=2", "a next-page link to another listing (/v2/account/keys)")]
    [InlineData("file:///etc/passwd", "a next-page link that is not an http(s) address")]
    [InlineData("/v2/droplets?page=2", "a next-page link that is not an http(s) address")]
    public async Task A_next_page_link_elsewhere_is_refused_and_never_followed(string next, string expected)
    {
        server.On("GET", "/v2/droplets",
            new CannedResponse(200, $$$"""{"droplets":[{"id":1,"status":"active"}],"links":{"pages":{"next":"{{{next}}}"}},"meta":{"total":2}}"""));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.ListDropletsByTagAsync("t")));

        Assert.Contains("DigitalOcean API answered GET /v2/droplets?tag_name=t&per_page=200 with " + expected, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_huge_body_announced_by_its_length_is_refused_before_it_is_read()
    {
        const long huge = 64L * 1024 * 1024;
        const string head = """{"droplet":{"id":42,"status":"active"},"padding":"x""";
        var length = new Dictionary<string, string> { ["Content-Length"] = huge.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        server.On("GET", "/v2/droplets/42", new CannedResponse(200, head, length, PaddingBytes: huge - head.Length));
        using var client = Client();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.GetDropletAsync(42)));

        Assert.Equal("DigitalOcean API answered GET /v2/droplets/42 with a body of 64 MiB (200); not read, as no real answer is over 16 MiB", error.Message);
        Assert.Single(server.RequestsTo("GET", "/v2/droplets/42"));
    }

    [Fact]
    public async Task A_huge_streamed_body_is_refused_at_the_cap_without_reading_it_all()
    {
        server.On("GET", "/v2/droplets/42",
            new CannedResponse(200, """{"droplet":{"id":42,"status":"active"},"padding":"x""", PaddingBytes: 64L * 1024 * 1024));
        using var client = Client();
        var clock = Stopwatch.StartNew();

        var error = Clean(await Assert.ThrowsAsync<DoApiProtocolException>(() => client.GetDropletAsync(42)));

        Assert.Equal("DigitalOcean API answered GET /v2/droplets/42 with more than 16 MiB (200); stopped reading there, as no real answer is that large",
            error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.True(server.PaddingBytesWritten >= DoApiClient.MaxAnswerBytes - 100, "the body was streamed past the cap, without a length");
        Assert.Single(server.RequestsTo("GET", "/v2/droplets/42"));
    }

    [Fact]
    public async Task A_huge_error_page_is_read_only_for_its_message_and_a_get_is_still_retried()
    {
        server.On("GET", "/v2/droplets/42",
            new CannedResponse(503, "<html><head><title>Service Unavailable</title></head><body>", ContentType: "text/html", PaddingBytes: 64L * 1024 * 1024));
        using var client = Client(retries: 1);

        var error = Clean(await Assert.ThrowsAsync<DoApiException>(() => client.GetDropletAsync(42)));

        Assert.Contains("with text/html (503) instead of JSON: a proxy or gateway error page (\"Service Unavailable\"); try again later", error.Message,
            StringComparison.Ordinal);
        Assert.Equal(2, server.RequestsTo("GET", "/v2/droplets/42").Count);
    }
}
