using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Snapshots;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>What <c>DoBuildImage</c> produced.</summary>
/// <param name="Image">The snapshot: submit <c>Image.ImageId</c> to the Marketplace.</param>
/// <param name="Validation">The 18 Marketplace checks + /tmp mode (19) on the build droplet.</param>
/// <param name="Readiness">First-boot readiness on the build droplet.</param>
/// <param name="Test">The image test on a droplet made from the image; null when not run.</param>
/// <param name="Steps">Each step with its duration and result.</param>
public sealed record MarketplaceImageResult(SnapshotResult Image, ValidationReport Validation, ReadinessReport Readiness, ValidationReport? Test,
    IReadOnlyList<BuildStep> Steps);
