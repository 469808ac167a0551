namespace Cake.DoMarketplace.ImageRules;

/// <summary>The outcome of <c>DoValidateImage</c>.</summary>
/// <param name="Machine">The droplet checked.</param>
/// <param name="OperatingSystem">Its NAME and VERSION_ID.</param>
/// <param name="CheckedAt">When the facts were read (security updates depend on it).</param>
/// <param name="Checks">Every check, in order.</param>
public sealed record ValidationReport(string Machine, string OperatingSystem, DateTimeOffset CheckedAt, IReadOnlyList<ValidationCheck> Checks)
{
    /// <summary>True when any check failed.</summary>
    public bool HasFailures => Checks.Any(c => c.Level == CheckLevel.Fail);

    /// <summary>Number of checks at a level.</summary>
    public int Count(CheckLevel level) => Checks.Count(c => c.Level == level);

    /// <summary>A one-line summary.</summary>
    public string Summary => $"{Count(CheckLevel.Pass)} passed, {Count(CheckLevel.Warn)} warnings, {Count(CheckLevel.Fail)} failed";
}
