namespace Cake.DoMarketplace.ImageRules;

/// <summary>Settings of <c>DoCheckImageReadiness</c>.</summary>
public sealed class ReadinessSettings
{
    /// <summary>Fail the build when something would go wrong on first boot (default: only warn).</summary>
    public bool FailOnWarning { get; set; }
}
