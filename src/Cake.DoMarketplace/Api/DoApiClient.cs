using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Our typed DigitalOcean API v2 client (System.Text.Json). Safe requests are retried on 429, 5xx and connection errors
/// (see <see cref="ApiRetryPipelines"/>); pages are followed through <c>links.pages.next</c> on our own base address only,
/// so the token never travels to another host. An answer it cannot use (not JSON, cut off, without a required field,
/// over <see cref="MaxAnswerBytes"/>) ends in one <see cref="DoApiProtocolException"/> saying what was wrong.
/// </summary>
internal sealed partial class DoApiClient : IDoApiClient
{
    /// <summary>
    /// The most the client reads of one answer. The largest real answer, a page of 200 droplets, is about 1 MiB; past
    /// 16 MiB the answer is broken or hostile, and reading on would only let it fill the build machine's memory.
    /// </summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

    private readonly HttpClient http;
    private readonly TimeSpan requestTimeout;
    private readonly string token;
    private readonly ICakeLog? log;
    private readonly ApiRetryPipelines retries;
    private readonly SharedRateBudget budget;

    // The scopes of the calls answered 2xx so far: proven, so the scope pre-flight does not probe them again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> provenScopes = new(StringComparer.Ordinal);

    /// <summary>Creates a client from resolved options (see <see cref="DoApiCredentials.Resolve(string?, Uri?, Func{string, string?}, string)"/>).</summary>
    public DoApiClient(DoApiOptions options, ICakeLog? log = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new DoSettingsException(nameof(DoApiOptions.Token), "DoApiClient needs a token; resolve options with DoApiCredentials.Resolve.");
        }

        token = options.Token;
        requestTimeout = options.RequestTimeout;
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
        var call = Call(method, path, response);
        using var document = await JsonAnswer.ParseAsync(call, response, cancellationToken).ConfigureAwait(false);
        return JsonAnswer.Property<T>(call, document.RootElement, property);
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
        var response = await SendWithRetriesAsync(method, path, body, target, cancellationToken).ConfigureAwait(false);

        log?.Trace($"DigitalOcean API {method.Method} {target.PathAndQuery} -> {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms" +
                   (LastRateLimit is { } limit ? $" (rate limit {limit})" : string.Empty));
        if (response.IsSuccessStatusCode)
        {
            if (DoApiScopes.Find(method.Method, path) is { } scoped)
            {
                provenScopes.TryAdd(scoped.Scope, true);
            }

            try
            {
                JsonAnswer.CheckContentType(Call(method, path, response), response);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        using (response)
        {
            throw await ErrorAnswer.ToExceptionAsync(method, target.PathAndQuery, path, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the request through its retry pipeline. What the transport throws once the retries are spent (a broken
    /// connection, the request timeout) becomes a <see cref="DoApiTransportException"/> naming the request; the caller's
    /// own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpMethod method, string path, object? body, Uri target, CancellationToken cancellationToken)
    {
        try
        {
            return await retries.For(method, path).ExecuteAsync(
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

                    var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    var seen = RateLimitStatus.FromHeaders(answer, DateTimeOffset.UtcNow);
                    if (seen is not null)
                    {
                        budget.Observe(seen, refused: answer.StatusCode == HttpStatusCode.TooManyRequests);
                    }

                    try
                    {
                        await AnswerBuffer.LoadAsync(answer, method.Method, target.PathAndQuery, requestTimeout, token).ConfigureAwait(false);
                        return answer;
                    }
                    catch
                    {
                        answer.Dispose();
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (TransportFailure.Wrap(e, method.Method, target.PathAndQuery, requestTimeout, cancellationToken) is { } wrapped)
        {
            throw wrapped;
        }
    }

    /// <summary>The request as errors name it: method, path and query on the API host, status.</summary>
    private ApiCall Call(HttpMethod method, string path, HttpResponseMessage response) =>
        new(method.Method, new Uri(BaseUrl, path).PathAndQuery, response.StatusCode);

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
