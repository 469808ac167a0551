namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Adaptive polling: start fast (most state changes are quick), then back off so long waits cost few API calls.
/// </summary>
/// <param name="First">Delay before the second probe.</param>
/// <param name="Factor">Growth of the delay after each unchanged probe.</param>
/// <param name="Max">The longest delay between probes.</param>
internal sealed record PollSchedule(TimeSpan First, double Factor, TimeSpan Max)
{
    /// <summary>For API state: 0.5 s growing to 5 s.</summary>
    public static PollSchedule Api { get; } = new(TimeSpan.FromMilliseconds(500), 1.5, TimeSpan.FromSeconds(5));

    /// <summary>
    /// For work a request has just started (a droplet create, a shutdown, power-off or snapshot action): as <see cref="Api"/>,
    /// but the first probe after 0.5 s. The request's answer has just told the state at 0 s ("new", "in-progress"), so a
    /// probe at once only repeats it, and costs a request.
    /// </summary>
    public static PollSchedule Started { get; } = Api with { FirstProbe = TimeSpan.FromMilliseconds(500) };

    /// <summary>
    /// For a droplet just created, until it is active with an address: as <see cref="Started"/>, but the first probe after
    /// 1 s. No droplet boots sooner (a local cloud container takes over a second, a DigitalOcean VM tens), so a probe at
    /// 0.5 s only costs a request; later probes keep <see cref="Api"/>'s pace.
    /// </summary>
    public static PollSchedule Boot { get; } = Api with { FirstProbe = TimeSpan.FromSeconds(1) };

    /// <summary>For local probes such as a TCP connect: 0.2 s growing to 2 s.</summary>
    public static PollSchedule Local { get; } = new(TimeSpan.FromMilliseconds(200), 1.5, TimeSpan.FromSeconds(2));

    /// <summary>For a machine coming back from a reboot: 1 s growing to 5 s (none is back sooner).</summary>
    public static PollSchedule Reboot { get; } = new(TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(5));

    /// <summary>For a request refused while the droplet has a pending event: 1 s doubling to 10 s.</summary>
    public static PollSchedule PendingEvent { get; } = new(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(10));

    /// <summary>Delay before the first probe; zero (default) probes at once.</summary>
    public TimeSpan FirstProbe { get; init; }

    internal TimeSpan Next(TimeSpan current, bool stateChanged) =>
        stateChanged ? First : TimeSpan.FromTicks(Math.Min(Max.Ticks, (long)(current.Ticks * Factor)));
}
