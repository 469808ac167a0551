namespace Cake.DoMarketplace.ImageRules;

/// <summary>The level of a validation check, as DigitalOcean's script reports it.</summary>
public enum CheckLevel
{
    /// <summary>The image passes the check.</summary>
    Pass,

    /// <summary>Review will ask about it; it does not fail the image.</summary>
    Warn,

    /// <summary>The image is rejected.</summary>
    Fail,
}

/// <summary>One check's outcome.</summary>
/// <param name="Id">The check number, 1 to 18 as in DigitalOcean's script (19 and up are ours).</param>
/// <param name="Name">What is checked.</param>
/// <param name="Level">The outcome.</param>
/// <param name="Message">A sentence saying what was found.</param>
/// <param name="Evidence">The files, users or packages behind the outcome.</param>
public sealed record ValidationCheck(int Id, string Name, CheckLevel Level, string Message, IReadOnlyList<string> Evidence);

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
