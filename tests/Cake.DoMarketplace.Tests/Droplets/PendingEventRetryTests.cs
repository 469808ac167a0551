using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Droplets;

/// <summary>The one "pending event" retry, as the clean-up's deletes use it (the snapshot's actions: SnapshotMakerTests).</summary>
public sealed class PendingEventRetryTests
{
    private static DoApiException PendingEvent() =>
        new(HttpMethod.Delete, "/v2/droplets/9", (System.Net.HttpStatusCode)422, "unprocessable_entity", "Droplet already has a pending event.", "r");

    [Fact]
    public async Task A_delete_refused_for_a_pending_event_is_sent_again_on_the_pending_event_schedule()
    {
        var log = new RecordingLog();
        var api = Substitute.For<IDoApiClient>();
        api.DeleteDropletAsync(9, Arg.Any<CancellationToken>()).Returns(_ => throw PendingEvent(), _ => throw PendingEvent(), _ => Task.FromResult(true));

        var gone = await new BuildResourceCleaner(api, log).DeleteDropletAsync(9, CancellationToken.None);

        Assert.True(gone);
        Assert.Equal(
            [
                "Cannot delete droplet 9 yet (Droplet already has a pending event.); retrying in 1s",
                "Cannot delete droplet 9 yet (Droplet already has a pending event.); retrying in 2s",
                "Deleted droplet 9",
            ],
            log.Lines.Select(l => l.Text));
    }

    [Fact]
    public async Task Past_its_patience_the_refusal_is_thrown_and_other_errors_are_never_retried()
    {
        var log = new RecordingLog();
        var sent = 0;
        var retry = new PendingEventRetry(log);

        Task<bool> Send(Exception error)
        {
            sent++;
            throw error;
        }

        await Assert.ThrowsAsync<DoApiException>(() => retry.SendAsync(_ => Send(PendingEvent()), TimeSpan.Zero, (_, _) => "refused", CancellationToken.None));
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            retry.SendAsync(_ => Send(new HttpRequestException("reset")), TimeSpan.FromMinutes(3), (_, _) => "refused", CancellationToken.None));

        Assert.Equal(2, sent);
        Assert.Empty(log.Lines);
    }
}
