using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Our typed DigitalOcean API v2 client (System.Text.Json). Safe requests are retried on 429, 5xx and connection errors
/// (see <see cref="ApiRetryPipelines"/>); pages are followed through <c>links.pages.next</c> on our own base address only,
/// so the token never travels to another host.
/// </summary>
public sealed partial class DoApiClient : IDoApiClient
{
    private const int MaxPages = 1000;
    private readonly HttpClient http;
    private readonly string token;
    private readonly ICakeLog? log;
    private readonly ApiRetryPipelines retries;
    private readonly SharedRateBudget budget;

    /// <summary>Creates a client from resolved options (see <see cref="DoApiCredentials.Resolve(string?, Uri?, Func{string, string?}, string)"/>).</summary>
    public DoApiClient(DoApiOptions options, ICakeLog? log = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new DoSettingsException(nameof(DoApiOptions.Token), "DoApiClient needs a token; resolve options with DoApiCredentials.Resolve.");
        }

        token = options.Token;
        SecretRedactor.Register(token);
        BaseUrl = options.BaseUrl;
        this.log = log is null ? null : RedactingCakeLog.Wrap(log);
        http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: handler is null)
        {
            Timeout = options.RequestTimeout,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Cake.DoMarketplace", typeof(DoApiClient).Assembly.GetName().Version?.ToString(3)));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        retries = new ApiRetryPipelines(options, this.log);
        budget = SharedRateBudget.For(token, BaseUrl);
    }

    /// <inheritdoc />
    public Uri BaseUrl { get; }

    /// <inheritdoc />
    public RateLimitStatus? LastRateLimit => budget.Latest;

    /// <inheritdoc />
    public void Dispose()
    {
        http.Dispose();
    }

    private async Task<T> GetAsync<T>(string path, string property, CancellationToken cancellationToken) =>
        await ReadPropertyAsync<T>(HttpMethod.Get, path, null, property, cancellationToken).ConfigureAwait(false);

    private async Task<T> ReadPropertyAsync<T>(HttpMethod method, string path, object? body, string property, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty(property, out var element))
        {
            throw new DoApiProtocolException(method.Method, path, $"DigitalOcean API {method.Method} {path} answered without the '{property}' property.");
        }

        return element.Deserialize<T>(DoJson.Options)
            ?? throw new DoApiProtocolException(method.Method, path, $"DigitalOcean API {method.Method} {path} answered with a null '{property}'.");
    }

    private async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(string path, string collection, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? next = path + (path.Contains('?') ? "&" : "?") + "per_page=200";
        for (var page = 0; next is not null; page++)
        {
            if (page >= MaxPages)
            {
                throw new DoApiProtocolException(HttpMethod.Get.Method, path, $"DigitalOcean API {path} returned more than {MaxPages} pages; stopping.");
            }

            using var response = await SendAsync(HttpMethod.Get, next, null, cancellationToken).ConfigureAwait(false);
            using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty(collection, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(array.Deserialize<List<T>>(DoJson.Options) ?? []);
            }

            next = NextPage(document.RootElement);
        }

        return items;
    }

    /// <summary>The path and query of <c>links.pages.next</c>, to be sent to our own base address.</summary>
    internal static string? NextPage(JsonElement root)
    {
        if (root.TryGetProperty("links", out var links) && links.ValueKind == JsonValueKind.Object
            && links.TryGetProperty("pages", out var pages) && pages.ValueKind == JsonValueKind.Object
            && pages.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String
            && Uri.TryCreate(next.GetString(), UriKind.Absolute, out var uri))
        {
            return uri.PathAndQuery;
        }

        return null;
    }

    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DoApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var target = new Uri(BaseUrl, path);
        var clock = Stopwatch.StartNew();
        var response = await retries.For(method, path).ExecuteAsync(
            async token =>
            {
                if (budget.WaitBeforeRequest(DateTimeOffset.UtcNow) is { } hold && hold > TimeSpan.Zero)
                {
                    log?.Warn($"DigitalOcean API rate limit spent for this token; waiting {hold.TotalSeconds:0}s for its reset");
                    await Task.Delay(hold, token).ConfigureAwait(false);
                }

                using var request = new HttpRequestMessage(method, target);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", this.token);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body, body.GetType(), options: DoJson.Options);
                }

                var answer = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                var seen = RateLimitStatus.FromHeaders(answer, DateTimeOffset.UtcNow);
                if (seen is not null)
                {
                    budget.Observe(seen, refused: answer.StatusCode == HttpStatusCode.TooManyRequests);
                }

                return answer;
            },
            cancellationToken).ConfigureAwait(false);

        log?.Trace($"DigitalOcean API {method.Method} {target.PathAndQuery} -> {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms" +
                   (LastRateLimit is { } limit ? $" (rate limit {limit})" : string.Empty));
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(method, target.PathAndQuery, path, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path and query on the server, for the message.</param>
    /// <param name="call">The path as the client sent it (relative to the API address), to find the call's scope.</param>
    /// <param name="response">The error answer.</param>
    /// <param name="cancellationToken">Stops reading the answer.</param>
    private static async Task<DoApiException> ToExceptionAsync(HttpMethod method, string path, string call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? id = null, message = null, requestId = null;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            id = ReadString(document.RootElement, "id");
            message = ReadString(document.RootElement, "message");
            requestId = ReadString(document.RootElement, "request_id");
        }
        catch (JsonException)
        {
            message = text.Length > 300 ? text[..300] + "…" : text;
        }

        if (requestId is null && response.Headers.TryGetValues("x-request-id", out var values))
        {
            requestId = values.FirstOrDefault();
        }

        if (response.StatusCode == HttpStatusCode.Forbidden && DoApiScopes.Find(method.Method, call) is { } scoped)
        {
            return new DoScopeMissingException(method, call, scoped.Scope, id, SecretRedactor.Redact(message), requestId);
        }

        return new DoApiException(method, path, response.StatusCode, id, SecretRedactor.Redact(message), requestId);
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
