namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>Actions as DigitalOcean runs them: the work decides the end; a snapshot is listed once its action completed.</summary>
internal sealed class DirectActionRunner : IActionRunner
{
    public async Task<ActionEnd> RunAsync(string type, long resourceId, Func<Task<bool>> work) =>
        await work() ? ActionEnd.Completed : ActionEnd.Errored;

    public void Publish(long imageId, Action publish) => publish();
}
