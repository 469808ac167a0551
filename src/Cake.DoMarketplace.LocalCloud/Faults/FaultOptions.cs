using System.Globalization;

namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>
/// Faults the local cloud injects, to test what a build does when DigitalOcean misbehaves. All off by default. Set them
/// at start (<see cref="LocalCloudOptions.Faults"/>, <c>--faults</c> or <c>LOCAL_CLOUD_FAULTS</c> as
/// <c>name=value,…</c>) or at run time with <c>PUT /local-cloud/faults</c> (same bearer token, JSON of these fields).
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Share of API requests answered 429 with <c>retry-after</c> and <c>ratelimit-remaining: 0</c> (0–1).</summary>
    public double TooManyRequestsRate { get; set; }

    /// <summary>Share of API requests answered 500, 502, 503 or 504 (0–1). The request is not carried out.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Extra time every droplet and image action takes before it ends.</summary>
    public TimeSpan ActionDelay { get; set; }

    /// <summary>Action types (<c>snapshot</c>, <c>shutdown</c>, <c>transfer</c>…) that end <c>errored</c>.</summary>
    public HashSet<string> ErroredActions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>New droplets never leave <c>new</c>.</summary>
    public bool StuckInNew { get; set; }

    /// <summary>A shutdown action completes but the machine keeps running (the power-off fallback is needed).</summary>
    public bool IgnoreShutdown { get; set; }

    /// <summary>A new snapshot appears in the lists only this long after its action completed.</summary>
    public TimeSpan SnapshotListLag { get; set; }

    /// <summary>After a droplet is reported active, its sshd refuses connections for this long.</summary>
    public TimeSpan SshRefusedAfterActive { get; set; }

    /// <summary>
    /// New droplets' package manager stays busy this long after their first boot: a process named as
    /// unattended-upgrades holds apt's and dpkg's locks, as on DigitalOcean's Ubuntu droplets, whose apt-daily timers
    /// run unattended-upgrades then. It starts in cloud-init's final stage, so it is running when a build begins.
    /// </summary>
    public TimeSpan PackageManagerBusyAfterBoot { get; set; }

    /// <summary>How many <c>POST /v2/droplets</c> responses to lose after the droplet was made (connection reset).</summary>
    public int LoseCreateResponses { get; set; }

    /// <summary>
    /// Kinds of malformed or hostile answers to give instead of the real one (see <see cref="MalformedAnswerKinds"/>),
    /// one drawn per spoiled answer. The request is still carried out: only its answer is spoiled, as by a broken
    /// server or a proxy in between.
    /// </summary>
    public HashSet<string> MalformedAnswers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Share of matching answers spoiled (0–1) while <see cref="MalformedAnswers"/> is set.</summary>
    public double MalformedRate { get; set; } = 1;

    /// <summary>How many answers to spoil at most; 0 for no limit.</summary>
    public int MalformedCount { get; set; }

    /// <summary>
    /// Requests whose answers may be spoiled, each <c>[METHOD ]path</c> where a path ending in <c>*</c> is a prefix
    /// (<c>POST /v2/droplets</c>, <c>GET /v2/droplets/*</c>); empty for every API request.
    /// </summary>
    public List<string> MalformedPaths { get; set; } = [];

    /// <summary>Seed of the random draws, for a run that can be repeated.</summary>
    public int? Seed { get; set; }

    /// <summary>Parses <c>name=value</c> pairs separated by commas (names as the properties, case-insensitive).</summary>
    public static FaultOptions Parse(string? text)
    {
        var faults = new FaultOptions();
        foreach (var pair in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = pair.Split('=', 2) is [var n, var v] ? (n.Trim().ToLowerInvariant(), v.Trim())
                : throw new FormatException($"Fault '{pair}' must be name=value.");
            switch (name)
            {
                case "toomanyrequestsrate": faults.TooManyRequestsRate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "servererrorrate": faults.ServerErrorRate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "actiondelay": faults.ActionDelay = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "erroredactions": faults.ErroredActions = value.Split('|', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal); break;
                case "stuckinnew": faults.StuckInNew = bool.Parse(value); break;
                case "ignoreshutdown": faults.IgnoreShutdown = bool.Parse(value); break;
                case "snapshotlistlag": faults.SnapshotListLag = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "sshrefusedafteractive": faults.SshRefusedAfterActive = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "packagemanagerbusyafterboot": faults.PackageManagerBusyAfterBoot = TimeSpan.FromSeconds(
                    double.Parse(value, CultureInfo.InvariantCulture)); break;
                case "losecreateresponses": faults.LoseCreateResponses = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "malformedanswers": faults.MalformedAnswers = value.Split('|',
                    StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal); break;
                case "malformedrate": faults.MalformedRate = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "malformedcount": faults.MalformedCount = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "malformedpaths": faults.MalformedPaths = value.Split('|',
                    StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(); break;
                case "seed": faults.Seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new FormatException(
                    $"Unknown fault '{name}'. Known: TooManyRequestsRate, ServerErrorRate, ActionDelay, ErroredActions (a|b), StuckInNew, IgnoreShutdown, "
                    + "SnapshotListLag, SshRefusedAfterActive, PackageManagerBusyAfterBoot, LoseCreateResponses, MalformedAnswers (a|b), MalformedRate, "
                    + "MalformedCount, MalformedPaths (a|b), Seed.");
            }
        }

        faults.Validate();
        return faults;
    }

    /// <summary>Throws <see cref="FormatException"/> naming a value no fault can use (as given in text or JSON).</summary>
    internal void Validate()
    {
        if (MalformedAnswers.FirstOrDefault(k => !MalformedAnswerKinds.All.Contains(k)) is { } unknown)
        {
            throw new FormatException($"Unknown malformed answer '{unknown}'. Known: {string.Join(", ", MalformedAnswerKinds.All)}.");
        }

        if (MalformedRate is < 0 or > 1)
        {
            throw new FormatException($"MalformedRate is {MalformedRate.ToString(CultureInfo.InvariantCulture)}; it must be between 0 and 1.");
        }

        MalformedRoute.ParseAll(MalformedPaths);
    }
}
