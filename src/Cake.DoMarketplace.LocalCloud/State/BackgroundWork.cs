namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// The work an API request starts and leaves running (a boot, an action, a transfer): tracked, so that stopping the
/// local cloud waits for it instead of letting a boot start a machine after the machines were stopped.
/// </summary>
internal sealed class BackgroundWork(ILogger log)
{
    private readonly HashSet<Task> running = [];
    private bool closed;

    /// <summary>
    /// Starts <paramref name="work"/> unless the local cloud is stopping (false then); its failure is logged, never lost.
    /// </summary>
    public bool Start(string what, Func<Task> work)
    {
        lock (running)
        {
            if (closed)
            {
                log.NotStarting(what);
                return false;
            }

            Task task = null!;
            task = Task.Run(async () =>
            {
                try
                {
                    await work();
                }
                catch (Exception e)
                {
                    log.BackgroundWorkFailed(e, what);
                }
                finally
                {
                    lock (running)
                    {
                        running.Remove(task);
                    }
                }
            });
            running.Add(task);
            return true;
        }
    }

    /// <summary>Refuses new work and waits for what runs (at most <paramref name="limit"/>).</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        Task[] pending;
        lock (running)
        {
            closed = true;
            pending = [.. running];
        }

        var all = Task.WhenAll(pending);
        if (await Task.WhenAny(all, Task.Delay(limit)) != all)
        {
            var stillRunning = pending.Count(t => !t.IsCompleted);
            log.StoppingWithPendingWork(stillRunning, limit);
        }
    }
}
