namespace Cake.DoMarketplace.ImageRules;

/// <summary>One thing that would go wrong (or right) on a customer's first boot or login.</summary>
/// <param name="Subject">The file concerned.</param>
/// <param name="Level"><see cref="CheckLevel.Warn"/> for a problem, <see cref="CheckLevel.Pass"/> when it is fine.</param>
/// <param name="Message">What will happen, and the fix.</param>
public sealed record ReadinessFinding(string Subject, CheckLevel Level, string Message);

/// <summary>The outcome of <c>DoCheckImageReadiness</c>.</summary>
/// <param name="Machine">The droplet checked.</param>
/// <param name="Findings">Every script, MOTD and first-login hook looked at.</param>
public sealed record ReadinessReport(string Machine, IReadOnlyList<ReadinessFinding> Findings)
{
    /// <summary>The problems found.</summary>
    public IReadOnlyList<ReadinessFinding> Warnings => Findings.Where(f => f.Level != CheckLevel.Pass).ToList();
}

/// <summary>Settings of <c>DoCheckImageReadiness</c>.</summary>
public sealed class ReadinessSettings
{
    /// <summary>Fail the build when something would go wrong on first boot (default: only warn).</summary>
    public bool FailOnWarning { get; set; }
}
