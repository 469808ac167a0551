namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>How an action ended: done, failed, or still <c>in-progress</c> (its work never ran to an end).</summary>
internal enum ActionEnd
{
    Completed,
    Errored,
    InProgress,
}

/// <summary>
/// Where the services hand over an action's work and a new snapshot's listing. <see cref="DirectActionRunner"/> does
/// what DigitalOcean does; the fault layer (<c>Faults.FaultyActionRunner</c>) stands in front of it, so the
/// services hold DigitalOcean's behaviour only.
/// </summary>
internal interface IActionRunner
{
    /// <summary>Runs the work of an action of <paramref name="type"/> (<c>create</c>, <c>shutdown</c>, <c>transfer</c>…).</summary>
    Task<ActionEnd> RunAsync(string type, long resourceId, Func<Task<bool>> work);

    /// <summary>Makes a new snapshot appear in the lists.</summary>
    void Publish(long imageId, Action publish);
}
