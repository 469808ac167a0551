using System.Net.Sockets;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;

namespace Cake.DoMarketplace.Tests.Api;

/// <summary>
/// What the HTTP transport throws after the client's retries reaches the caller as a DoApiTransportException naming the
/// request, whether its outcome is unknown, and the transport's error; the caller's own cancellation stays a cancellation.
/// </summary>
public sealed class TransportErrorTests
{
    private const string Token = "dop_v1_transporttesttoken0123456789";
    private static readonly DoDropletCreateRequest Create = new() { Name = "b", Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = "debian-12-x64",
        Tags = ["build-1"] };

    private static DoApiClient Client(HttpMessageHandler handler, int retries = 2, TimeSpan? timeout = null) => new(
        new DoApiOptions
        {
            Token = Token,
            BaseUrl = new Uri("http://192.0.2.1/"),
            MaxRetries = retries,
            RetryWaitMin = TimeSpan.FromMilliseconds(1),
            RetryWaitMax = TimeSpan.FromMilliseconds(5),
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(60),
        },
        handler: handler);

    [Fact]
    public async Task A_read_whose_connection_breaks_every_time_is_retried_then_wrapped_with_its_request()
    {
        var handler = new ThrowingHandler(() => new HttpRequestException("reset", new IOException("Connection reset by peer")));
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<DoApiTransportException>(() => client.GetDropletAsync(42));

        Assert.Equal(3, handler.Sends);
        Assert.Equal("GET", error.Method);
        Assert.Equal("/v2/droplets/42", error.Path);
        Assert.False(error.OutcomeUnknown);
        Assert.False(error.TimedOut);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal("DigitalOcean API GET /v2/droplets/42 got no answer: the connection failed (reset). Check this machine's network and try again.",
            error.Message);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_is_not_resent_and_says_its_outcome_is_unknown()
    {
        var handler = new ThrowingHandler(() => new HttpRequestException("reset", new IOException("Connection reset by peer")));
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<DoApiTransportException>(() => client.CreateDropletAsync(Create));

        Assert.Equal(1, handler.Sends);
        Assert.Equal(("POST", "/v2/droplets"), (error.Method, error.Path));
        Assert.True(error.OutcomeUnknown);
        Assert.Contains("Its outcome is unknown: the API may have carried it out.", error.Message, StringComparison.Ordinal);
        Assert.True(OutcomeClassifier.MayHaveHappened(error, CancellationToken.None));
    }

    [Fact]
    public async Task A_create_that_found_no_one_listening_never_left_this_machine()
    {
        var handler = new ThrowingHandler(()
            => new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)));
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<DoApiTransportException>(() => client.CreateDropletAsync(Create));

        Assert.False(error.OutcomeUnknown);
        Assert.DoesNotContain("outcome is unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_an_answer_in_the_request_timeout_is_a_timed_out_transport_error()
    {
        using var client = Client(new SilentHandler(), retries: 0, timeout: TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<DoApiTransportException>(() => client.CreateDropletAsync(Create));

        Assert.True(error.TimedOut);
        Assert.True(error.OutcomeUnknown);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.StartsWith("DigitalOcean API POST /v2/droplets got no answer: none came within 0.2s (DoApiOptions.RequestTimeout).", error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        using var client = Client(new SilentHandler());
        using var cancel = new CancellationTokenSource();

        var waiting = client.GetDropletAsync(42, cancel.Token);
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.IsNotType<DoApiTransportException>(error);
    }

    private sealed class ThrowingHandler(Func<Exception> error) : HttpMessageHandler
    {
        public int Sends { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sends++;
            throw error();
        }
    }

    /// <summary>A server that never answers.</summary>
    private sealed class SilentHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}
