namespace Cake.DoMarketplace.ImageRules;

/// <summary>The outcome of <c>DoCheckImageReadiness</c>.</summary>
/// <param name="Machine">The droplet checked.</param>
/// <param name="Findings">Every script, MOTD and first-login hook looked at.</param>
public sealed record ReadinessReport(string Machine, IReadOnlyList<ReadinessFinding> Findings)
{
    /// <summary>The problems found.</summary>
    public IReadOnlyList<ReadinessFinding> Warnings => Findings.Where(f => f.Level != CheckLevel.Pass).ToList();
}
