using System.Globalization;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// How long DigitalOcean takes for what the local cloud does at once, times a factor; nothing when the pace is the
/// machine's. The machine's own work still happens: a paced step ends at the later of its work and its DigitalOcean time,
/// counted from the step's start on <see cref="Time"/> (so a test can move a fake clock). Where each figure comes from:
/// docs/local-cloud.md, "DigitalOcean's pace".
/// </summary>
internal sealed class DigitalOceanPace
{
    /// <summary>Create to <c>active</c>, and a power-on: DigitalOcean's published "a cloud server in 55 seconds".</summary>
    public static readonly TimeSpan Boot = TimeSpan.FromSeconds(55);

    /// <summary>A <c>shutdown</c> action: a judgement (no published figure), an ACPI power-off of a small droplet.</summary>
    public static readonly TimeSpan Shutdown = TimeSpan.FromSeconds(10);

    /// <summary>A <c>power_off</c> action: a judgement (no published figure), the plug pulled and the action recorded.</summary>
    public static readonly TimeSpan PowerOff = TimeSpan.FromSeconds(5);

    /// <summary>A snapshot per GB of used disk: DigitalOcean says 1 to 3 minutes per GB; SnapShooter measured 59 s on average.</summary>
    public static readonly TimeSpan SnapshotPerGigabyte = TimeSpan.FromMinutes(1);

    /// <summary>A transfer to another region per GB of image: a judgement, the snapshot's rate (transfers take tens of minutes).</summary>
    public static readonly TimeSpan TransferPerGigabyte = TimeSpan.FromMinutes(1);

    /// <summary>DigitalOcean's rate limits per token under this pace (its API reference, "Rate Limit").</summary>
    public const int RequestsPerHour = 5000;

    /// <inheritdoc cref="RequestsPerHour"/>
    public const int RequestsPerMinute = 250;

    /// <summary>At DigitalOcean's pace times <paramref name="factor"/> (above 0), or the machine's when it is null.</summary>
    public DigitalOceanPace(double? factor, TimeProvider time)
    {
        if (factor is { } f && !(double.IsFinite(f) && f > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), f, "A pace factor is a number above 0.");
        }

        Factor = factor;
        Time = time;
    }

    /// <summary>The machine's pace: nothing waits.</summary>
    public static DigitalOceanPace Off { get; } = new(null, TimeProvider.System);

    /// <summary>DigitalOcean's times multiplied by this; null when the pace is the machine's.</summary>
    public double? Factor { get; }

    public TimeProvider Time { get; }

    /// <summary>What the rate-limit windows (a minute, an hour) are multiplied by.</summary>
    public double WindowScale => Factor ?? 1;

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A snapshot of <paramref name="gigabytes"/> used: per GB, at least one GB's worth.</summary>
    public static TimeSpan Snapshot(double gigabytes) => SnapshotPerGigabyte * Math.Max(1, gigabytes);

    /// <summary>A transfer of an image of <paramref name="gigabytes"/>: per GB, at least one GB's worth.</summary>
    public static TimeSpan Transfer(double gigabytes) => TransferPerGigabyte * Math.Max(1, gigabytes);

    /// <summary>Waits until <paramref name="digitalOceanTime"/> (times the factor) has passed since <paramref name="start"/>.</summary>
    public async Task UntilAsync(DateTimeOffset start, TimeSpan digitalOceanTime)
    {
        if (Factor is not { } factor)
        {
            return;
        }

        var end = start + digitalOceanTime * factor;
        for (var remaining = end - Time.GetUtcNow(); remaining > TimeSpan.Zero; remaining = end - Time.GetUtcNow())
        {
            await Task.Delay(remaining, Time);
        }
    }

    /// <summary>The console's line at start.</summary>
    public string Describe()
    {
        if (Factor is not { } factor)
        {
            return "as fast as this machine (--pace digitalocean for DigitalOcean's)";
        }

        string S(TimeSpan span) => (span * factor).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
        return $"DigitalOcean's × {factor.ToString(CultureInfo.InvariantCulture)}: a droplet active {S(Boot)} after its create at the earliest, "
            + $"shutdown {S(Shutdown)}, power_off {S(PowerOff)}, power_on {S(Boot)}, snapshot and transfer {S(SnapshotPerGigabyte)} per GB (at least 1 GB); "
            + $"{RequestsPerMinute} requests per {S(TimeSpan.FromMinutes(1))} and {RequestsPerHour} per {S(TimeSpan.FromHours(1))} per token";
    }
}
