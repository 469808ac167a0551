namespace Cake.DoMarketplace.ImageRules;

/// <summary>The image failed at least one Marketplace check.</summary>
public sealed class ImageValidationException(ValidationReport report)
    : DoMarketplaceException($"Image checks failed on {report.Machine}: {report.Summary}. " +
                (report.HasFailures ? "Failed: " : "Warnings (ValidationSettings.FailOnWarning is on): ") +
                string.Join("; ",
                    report.Checks.Where(c => c.Level == (report.HasFailures ? CheckLevel.Fail : CheckLevel.Warn)).Select(c
                    => $"{c.Id}. {c.Name} — {c.Message}")))
{
    /// <summary>The full report.</summary>
    public ValidationReport Report { get; } = report;
}
