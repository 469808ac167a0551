namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Hands each alias run a fresh token (<see cref="Begin"/>) and turns a stop signal into a cancellation of the runs in
/// progress. <see cref="Signal"/> says whether it did: the first signal during a run cancels it, and the process stays
/// alive for its clean-ups; a signal with no run to cancel (between aliases, or a second one during clean-ups) is left to
/// end the process as usual. A run that ended takes its cancellation with it: the next alias starts fresh.
/// </summary>
internal sealed class SignalCancellation
{
    private readonly List<AliasRun> runs = [];

    /// <summary>Starts a run; dispose it when the alias returns.</summary>
    public AliasRun Begin()
    {
        var run = new AliasRun(End);
        lock (runs)
        {
            runs.Add(run);
        }

        return run;
    }

    /// <summary>A stop signal arrived: cancels every run in progress; true when there was one to cancel.</summary>
    /// <param name="signal">Its name, for the log: <c>SIGINT</c>, <c>SIGTERM</c>.</param>
    public bool Signal(string signal)
    {
        AliasRun[] live;
        lock (runs)
        {
            live = [.. runs];
        }

        var cancelled = false;
        foreach (var run in live)
        {
            cancelled |= run.Cancel(signal);
        }

        return cancelled;
    }

    private void End(AliasRun run)
    {
        lock (runs)
        {
            runs.Remove(run);
        }
    }
}
