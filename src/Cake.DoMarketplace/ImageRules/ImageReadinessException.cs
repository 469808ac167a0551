namespace Cake.DoMarketplace.ImageRules;

/// <summary>
/// First-boot readiness found warnings and <see cref="ReadinessSettings.FailOnWarning"/> is on: a customer's first boot
/// or first login would not do what the image promises.
/// </summary>
/// <param name="report">The readiness report.</param>
public sealed class ImageReadinessException(ReadinessReport report)
    : DoMarketplaceException($"First-boot readiness of {report.Machine}: {string.Join("; ", report.Warnings.Select(w => $"{w.Subject}: {w.Message}"))}")
{
    /// <summary>The full readiness report.</summary>
    public ReadinessReport Report { get; } = report;
}
