namespace Cake.DoMarketplace.Pipeline;

/// <summary>What one variant of <c>DoBuildImages</c> produced.</summary>
/// <param name="Name">The variant: its <c>Snapshot.Name</c>.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Image">The image, reports and step timings; null unless it succeeded.</param>
/// <param name="Error">Why it failed or stopped; null when it succeeded or never started.</param>
/// <param name="Duration">Its wall time, from its first step to the end of its clean-ups.</param>
/// <param name="Steps">Each step it ran or skipped, with its duration and result; after a failure too.</param>
public sealed record VariantResult(
    string Name,
    VariantStatus Status,
    MarketplaceImageResult? Image,
    Exception? Error,
    TimeSpan Duration,
    IReadOnlyList<BuildStep> Steps);
