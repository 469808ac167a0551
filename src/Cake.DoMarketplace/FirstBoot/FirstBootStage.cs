namespace Cake.DoMarketplace.FirstBoot;

/// <summary>When cloud-init runs a script placed in <c>/var/lib/cloud/scripts/</c>.</summary>
internal enum FirstBootStage
{
    /// <summary>Once per machine lifetime (<c>per-once</c>); the cleanup clears the record so it runs on the customer's first boot.</summary>
    PerOnce,

    /// <summary>Once per new instance id (<c>per-instance</c>): on the first boot of every droplet made from the image.</summary>
    PerInstance,

    /// <summary>On every boot (<c>per-boot</c>).</summary>
    PerBoot,
}

internal static class FirstBootStageExtensions
{
    public static string Directory(this FirstBootStage stage) => stage switch
    {
        FirstBootStage.PerOnce => "/var/lib/cloud/scripts/per-once",
        FirstBootStage.PerInstance => "/var/lib/cloud/scripts/per-instance",
        FirstBootStage.PerBoot => "/var/lib/cloud/scripts/per-boot",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };
}
