using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// While a remote command runs, says in the log when it has printed nothing for <c>every</c>, and again each time as long
/// again passes in silence, with the time it has run: a command waiting on something (input it will not get, a lock, the
/// network) shows, instead of a build that looks hung. Disposing stops it.
/// </summary>
internal sealed class SilenceNotice : IDisposable
{
    private readonly CancellationTokenSource stop = new();

    public SilenceNotice(ICakeLog log, string label, string summary, RemoteOutput output, Stopwatch clock, TimeSpan? every)
    {
        if (every is { } period && period > TimeSpan.Zero)
        {
            _ = WatchAsync(log, label, summary, output, clock, period, stop.Token);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        stop.Dispose();
    }

    private static async Task WatchAsync(
        ICakeLog log, string label, string summary, RemoteOutput output, Stopwatch clock, TimeSpan every, CancellationToken cancellationToken)
    {
        var lastNotice = 0L;
        try
        {
            while (true)
            {
                var quietSince = Math.Max(output.LastOutput, lastNotice);
                var quiet = Stopwatch.GetElapsedTime(quietSince);
                if (quiet < every)
                {
                    await Task.Delay(every - quiet, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var silent = Stopwatch.GetElapsedTime(output.LastOutput);
                var prompt = output.PartialLine is { Length: > 0 } partial ? $"; its last output, with no line end, is '{partial}'" : string.Empty;
                var elapsed = DurationText.Of(clock.Elapsed);
                log.Info($"[{label}] no output for {silent.TotalSeconds:0} s: {summary} may be waiting for input{prompt} ({elapsed} elapsed)");
                lastNotice = Stopwatch.GetTimestamp();
            }
        }
        catch (OperationCanceledException)
        {
            // The command ended.
        }
    }
}
