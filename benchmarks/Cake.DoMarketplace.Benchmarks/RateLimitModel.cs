using System.Globalization;
using System.Text;
using Cake.DoMarketplace.Diagnostics;

/// <summary>
/// What one DigitalOcean account's rate limits (5,000 requests per hour, 250 per minute, per token) allow each tool.
/// On the local cloud a droplet boots and a snapshot completes in seconds, so a build there makes few polling
/// requests; on DigitalOcean the same waits last minutes. The model adds, to the requests measured here, the polls of
/// DigitalOcean-length waits: the addin's adaptive schedules (PollSchedule.Boot and Started, the code the addin runs) against
/// Packer 1.6.6's fixed 3 s.
/// </summary>
internal static class RateLimitModel
{
    private const int PerHour = 5_000;
    private const int PerMinute = 250;
    private static readonly TimeSpan PackerPoll = TimeSpan.FromSeconds(3);

    // Waits of a build on DigitalOcean, each polled by both tools: a droplet until active, a power-off, a snapshot; with
    // the schedule the addin polls each with (BuildDropletLauncher, SnapshotMaker).
    private static readonly (string What, TimeSpan Length, PollSchedule Addin)[] Waits =
    [
        ("droplet active", TimeSpan.FromSeconds(35), PollSchedule.Boot),
        ("power off", TimeSpan.FromSeconds(10), PollSchedule.Started),
        ("snapshot", TimeSpan.FromMinutes(4), PollSchedule.Started),
    ];

    public static string Write(double addinRequests, double packerRequests)
    {
        var c = CultureInfo.InvariantCulture;
        var (addinPolls, packerPolls) = (Waits.Sum(w => AdaptivePolls(w.Length, w.Addin)), Waits.Sum(w => FixedPolls(w.Length)));
        var (addinTotal, packerTotal) = (addinRequests + addinPolls, packerRequests + packerPolls);

        // In the longest wait each build polls at its steady rate: PollSchedule.Api's ceiling, or every 3 s.
        var (addinPerMinute, packerPerMinute) = (60 / PollSchedule.Api.Max.TotalSeconds, 60 / PackerPoll.TotalSeconds);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line("### One DigitalOcean account's rate limits");
        Line();
        Line(string.Create(c, $"A model, not a run: the requests per build measured above, plus the polls of DigitalOcean-length waits ({string.Join(", ", Waits.Select(w => $"{w.What} {w.Length.TotalSeconds:0} s"))}) — the addin polls as `PollSchedule.Boot`/`Started` (a first probe after {PollSchedule.Boot.FirstProbe.TotalSeconds:0} s or {PollSchedule.Started.FirstProbe.TotalSeconds:0.0} s, then {PollSchedule.Api.First.TotalSeconds:0.0} s growing ×{PollSchedule.Api.Factor} to {PollSchedule.Api.Max.TotalSeconds:0} s), Packer 1.6.6 every {PackerPoll.TotalSeconds:0} s; limits per token {PerHour:N0} requests per hour and {PerMinute} per minute."));
        Line();
        Line("| | addin | Packer 1.6.6 |");
        Line("|---|---|---|");
        Line(string.Create(c, $"| API requests per build, measured on the local cloud | {addinRequests:0} | {packerRequests:0} |"));
        Line(string.Create(c, $"| polls during the DigitalOcean-length waits | {addinPolls} | {packerPolls} |"));
        Line(string.Create(c, $"| API requests per build on DigitalOcean | {addinTotal:0} | {packerTotal:0} |"));
        Line(string.Create(c, $"| builds per hour before {PerHour:N0} requests/hour | {Math.Floor(PerHour / addinTotal):0} | {Math.Floor(PerHour / packerTotal):0} |"));
        Line(string.Create(c, $"| requests per minute of one build while it waits | {addinPerMinute:0} | {packerPerMinute:0} |"));
        Line(string.Create(c, $"| builds waiting at once before {PerMinute} requests/minute | {Math.Floor(PerMinute / addinPerMinute):0} | {Math.Floor(PerMinute / packerPerMinute):0} |"));
        return text.ToString();
    }

    /// <summary>Probes the addin makes in a wait of this length: the first after the schedule's first-probe delay (at
    /// once when none), then after each growing delay.</summary>
    internal static int AdaptivePolls(TimeSpan wait, PollSchedule schedule)
    {
        var (probes, elapsed, delay) = (1, schedule.FirstProbe, schedule.First);
        while (elapsed < wait)
        {
            elapsed += delay;
            probes++;
            delay = schedule.Next(delay, stateChanged: false);
        }

        return probes;
    }

    private static int FixedPolls(TimeSpan wait) => 1 + (int)Math.Ceiling(wait / PackerPoll);
}
