using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>
/// The action faults, in front of the services' actions: <see cref="FaultOptions.StuckInNew"/> (the create's boot never
/// runs), <see cref="FaultOptions.ActionDelay"/> and <see cref="FaultOptions.ErroredActions"/> (every action but the
/// create), <see cref="FaultOptions.IgnoreShutdown"/> (a shutdown or reboot completes and the machine runs on), and
/// <see cref="FaultOptions.SnapshotListLag"/>.
/// </summary>
internal sealed class FaultyActionRunner(IActionRunner inner, FaultInjector faults, BackgroundWork background, ILogger log) : IActionRunner
{
    public async Task<ActionEnd> RunAsync(string type, long resourceId, Func<Task<bool>> work)
    {
        var fault = faults.Current;
        if (type == "create")
        {
            if (fault.StuckInNew)
            {
                log.StuckInNewFault(resourceId);
                return ActionEnd.InProgress;
            }

            return await inner.RunAsync(type, resourceId, work);
        }

        await Task.Delay(fault.ActionDelay);
        if (fault.ErroredActions.Contains(type))
        {
            return ActionEnd.Errored;
        }

        if (fault.IgnoreShutdown && type is "shutdown" or "reboot")
        {
            log.ShutdownIgnoredFault(resourceId);
            return ActionEnd.Completed;
        }

        return await inner.RunAsync(type, resourceId, work);
    }

    public void Publish(long imageId, Action publish)
    {
        var lag = faults.Current.SnapshotListLag;
        if (lag <= TimeSpan.Zero)
        {
            inner.Publish(imageId, publish);
            return;
        }

        // The action completes now, the image shows up in the lists later.
        background.Start($"snapshot {imageId} listed late", async () =>
        {
            await Task.Delay(lag);
            inner.Publish(imageId, publish);
        });
    }
}
