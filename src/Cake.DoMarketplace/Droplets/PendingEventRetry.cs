using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// DigitalOcean runs one event at a time per droplet and refuses other requests meanwhile (422 "Droplet already has a
/// pending event"): the request is sent again on <see cref="PollSchedule.PendingEvent"/> until it goes through, or until
/// <c>patience</c> has passed, when the refusal is thrown. The one retry behind snapshot actions and clean-up deletes.
/// </summary>
internal sealed class PendingEventRetry(ICakeLog log)
{
    /// <param name="send">The request.</param>
    /// <param name="patience">How long refusals are retried.</param>
    /// <param name="refused">The log's detail line for a refusal, given the delay before the next try.</param>
    /// <param name="cancellationToken">Stops the waits.</param>
    /// <param name="beforeResend">Runs after each delay, before the request goes again (such as a wait for the droplet to be unlocked).</param>
    public async Task<T> SendAsync<T>(
        Func<CancellationToken, Task<T>> send,
        TimeSpan patience,
        Func<DoApiException, TimeSpan, string> refused,
        CancellationToken cancellationToken,
        Func<CancellationToken, Task>? beforeResend = null)
    {
        var clock = Stopwatch.StartNew();
        var delay = PollSchedule.PendingEvent.First;
        while (true)
        {
            try
            {
                return await send(cancellationToken).ConfigureAwait(false);
            }
            catch (DoApiException e) when (e.IsPendingEvent && clock.Elapsed < patience)
            {
                log.Detail(refused(e, delay));
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = PollSchedule.PendingEvent.Next(delay, stateChanged: false);
            if (beforeResend is not null)
            {
                await beforeResend(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
