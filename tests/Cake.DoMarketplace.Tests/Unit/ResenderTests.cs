using System.Net;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>A write whose answer was lost is looked for before it is sent again, and sent at most four times.</summary>
public sealed class ResenderTests
{
    private static DoApiException Status(HttpStatusCode status) => new(HttpMethod.Post, "/v2/droplets", status, "x", "answer", "req-1");

    [Fact]
    public async Task A_lost_answer_whose_request_happened_is_not_sent_again()
    {
        var log = new RecordingLog();
        var sends = 0;
        var result = await new Resender(log).SendOnceAsync(
            "creating the droplet",
            _ => ++sends == 1 ? throw new HttpRequestException("connection reset") : Task.FromResult("second"),
            _ => Task.FromResult((true, "found")),
            CancellationToken.None);

        Assert.Equal("found", result);
        Assert.Equal(1, sends);
        Assert.Contains("Creating the droplet gave no answer (connection reset); checking whether it happened", log.AllText);
    }

    [Fact]
    public async Task A_lost_answer_with_nothing_found_is_sent_again_and_gives_up_after_four_sends()
    {
        var sends = 0;
        var error = await Assert.ThrowsAsync<DoApiException>(() => new Resender(new RecordingLog()).SendOnceAsync<string>(
            "posting",
            _ =>
            {
                sends++;
                throw Status(HttpStatusCode.BadGateway);
            },
            _ => Task.FromResult((false, string.Empty)),
            CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(Resender.MaxSends, sends);
    }

    [Fact]
    public async Task A_definite_refusal_is_not_resent_unless_the_caller_says_to_look_first()
    {
        var sends = 0;
        Task<string> Send(CancellationToken _)
        {
            sends++;
            throw Status(HttpStatusCode.UnprocessableEntity);
        }

        await Assert.ThrowsAsync<DoApiException>(()
            => new Resender(new RecordingLog()).SendOnceAsync("registering", Send, _ => Task.FromResult((true, "known")), CancellationToken.None));
        Assert.Equal(1, sends);

        var known = await new Resender(new RecordingLog()).SendOnceAsync("registering", Send, _ => Task.FromResult((true, "known")), CancellationToken.None, e
            => e is DoApiException { StatusCode: HttpStatusCode.UnprocessableEntity });
        Assert.Equal("known", known);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, false, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false, false)]
    [InlineData(HttpStatusCode.NotFound, true, false)]
    public void Transient_answers_are_429_and_server_errors_where_asked(HttpStatusCode status, bool serverErrors, bool transient) =>
        Assert.Equal(transient, OutcomeClassifier.IsTransient(status, serverErrors));

    [Fact]
    public void An_outcome_is_unknown_for_lost_connections_timeouts_and_server_errors_but_not_for_the_callers_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.True(OutcomeClassifier.IsUnknownOutcome(new HttpRequestException("reset"), CancellationToken.None));
        Assert.True(OutcomeClassifier.IsUnknownOutcome(new TaskCanceledException(), CancellationToken.None));
        Assert.False(OutcomeClassifier.IsUnknownOutcome(new TaskCanceledException(), cancelled.Token));
        Assert.True(OutcomeClassifier.IsUnknownOutcome(Status(HttpStatusCode.InternalServerError), CancellationToken.None));
        Assert.False(OutcomeClassifier.IsUnknownOutcome(Status(HttpStatusCode.UnprocessableEntity), CancellationToken.None));
    }
}
