using System.Diagnostics;
using Cake.Core.Diagnostics;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Polls until a condition holds or a timeout passes, logging what is awaited, the elapsed time and the last state.
/// </summary>
internal sealed class ProgressWaiter(ICakeLog log)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    /// <summary>Waits until <paramref name="isDone"/> holds for a probed value and returns that value.</summary>
    /// <param name="awaited">What is awaited, for the log and the timeout message ("droplet 42 to become active").</param>
    /// <param name="timeout">Upper bound of the wait.</param>
    /// <param name="timeoutSetting">The setting that controls <paramref name="timeout"/>, named in the timeout message.</param>
    /// <param name="probe">Reads the current state. Exceptions propagate and end the wait.</param>
    /// <param name="isDone">Whether the state is the one awaited.</param>
    /// <param name="describe">A short text of the state ("status=new locked=true").</param>
    /// <param name="schedule">How often to probe.</param>
    /// <param name="cancellationToken">Stops the wait promptly.</param>
    public async Task<T> WaitAsync<T>(
        string awaited,
        TimeSpan timeout,
        string? timeoutSetting,
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> isDone,
        Func<T, string> describe,
        PollSchedule schedule,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = schedule.First;
        string? lastState = null;
        var lastReport = TimeSpan.Zero;
        log.Detail($"Waiting for {awaited} (timeout {DurationText.Of(timeout)})");
        if (schedule.FirstProbe > TimeSpan.Zero)
        {
            await Task.Delay(schedule.FirstProbe < timeout ? schedule.FirstProbe : timeout, cancellationToken).ConfigureAwait(false);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = await probe(cancellationToken).ConfigureAwait(false);
            var state = describe(value);
            // After a first-probe delay the request's answer told the starting state: the first probe is no change.
            var changed = state != lastState && (lastState is not null || schedule.FirstProbe == TimeSpan.Zero);
            if (isDone(value))
            {
                // A wait that reported progress reports its end too; a short one is routine (verbose log).
                var done = $"Done waiting for {awaited} after {DurationText.Of(clock.Elapsed)} ({state})";
                if (lastReport > TimeSpan.Zero)
                {
                    log.Info(done);
                }
                else
                {
                    log.Detail(done);
                }


                return value;
            }

            if (changed && lastState is not null || clock.Elapsed - lastReport >= ProgressEvery)
            {
                log.Info($"Waiting for {awaited}: {DurationText.Of(clock.Elapsed)} elapsed, state {state}");
                lastReport = clock.Elapsed;
            }

            lastState = state;
            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new WaitTimeoutException(awaited, timeout, lastState, timeoutSetting);
            }

            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken).ConfigureAwait(false);
            delay = schedule.Next(delay, changed);
        }
    }
}
