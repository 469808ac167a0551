using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>A DoBuildImage without the slow parts (no package work, no free-space fill, no image test), for tests about faults.</summary>
public static class CheapBuild
{
    public static void Apply(MarketplaceImageSettings s, string name)
    {
        s.Droplet.Name = name;
        s.UpdatePackages = false;
        s.Cleanup.UpdatePackages = false;
        s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
        s.Validation.RefreshPackageIndex = false;
        s.Validation.ReportDirectory = null;
        s.Snapshot.ShutdownTimeout = TimeSpan.FromSeconds(3);
        s.TestImage = false;
    }
}
