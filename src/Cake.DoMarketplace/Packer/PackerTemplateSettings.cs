using Cake.Core.IO;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Orphans;
using Cake.DoMarketplace.Pipeline;

namespace Cake.DoMarketplace.Packer;

/// <summary>
/// Settings of <c>DoBuildPackerTemplate</c> and <c>DoBuildPackerTemplates</c>: which builders build, the template's
/// variables (Packer's <c>-var</c>), where its relative paths start, and what the addin adds after the provisioners —
/// cleanup, first-boot readiness, the Marketplace checks, the snapshot's fate on failure and the image test — and, for
/// several builders, how they build together. The droplet, the snapshot's name and regions and the timeouts come from
/// each builder.
/// </summary>
public sealed class PackerTemplateSettings
{
    /// <summary>
    /// Values for the template's user variables, as Packer's <c>-var name=value</c>: they replace the defaults of
    /// <c>variables</c> and are taken as they are (no template expressions). Naming a variable the template does not
    /// declare is refused; a variable declared with a <c>null</c> default must be given here.
    /// </summary>
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Build only the builders of these names (Packer's <c>-only</c>); empty (default) for all. A name that is no builder of the
    /// template is refused, listing its builders; it cannot be set with <see cref="Except"/>.
    /// </summary>
    public ICollection<string> Only { get; } = new List<string>();

    /// <summary>
    /// Build every builder but those of these names (Packer's <c>-except</c>); empty (default) for none. A name that is no builder of
    /// the template is refused, listing its builders; it cannot be set with <see cref="Only"/>.
    /// </summary>
    public ICollection<string> Except { get; } = new List<string>();

    /// <summary>
    /// How <c>DoBuildPackerTemplates</c> builds several builders at once, as <c>DoBuildImages</c>: how many at a time
    /// (<see cref="BuildImagesSettings.MaxParallel"/>, Packer's <c>-parallel-builds</c>; default 3), whether a failing one stops
    /// the others, whether a failure throws.
    /// </summary>
    public BuildImagesSettings Builds { get; } = new();

    /// <summary>
    /// Where the template's relative paths (<c>source</c>, <c>script</c>, <c>scripts</c>, <c>user_data_file</c>) start;
    /// null (default) for the template's folder. The 1-Click templates of <c>digitalocean/droplet-1-clicks</c> name paths
    /// from the repository root (<c>common/scripts/…</c>): set this to that root for them.
    /// </summary>
    public DirectoryPath? WorkingDirectory { get; set; }

    /// <summary>Install all updates before the provisioners (off by default: templates do their own apt work).</summary>
    public bool UpdatePackages { get; set; }

    /// <summary>
    /// When set, the build first deletes what crashed builds left behind (see <c>DoCleanupOrphans</c>), with the
    /// template's API access. Null (default): no sweep.
    /// </summary>
    public OrphanCleanupSettings? CleanupOrphans { get; set; }

    /// <summary>Cleanup after the provisioners, before the snapshot (as <c>DoCleanupImage</c>).</summary>
    public CleanupSettings Cleanup { get; } = new();

    /// <summary>The 18 Marketplace checks + /tmp mode (19), on the build droplet before the snapshot.</summary>
    public ValidationSettings Validation { get; } = new();

    /// <summary>First-boot readiness.</summary>
    public ReadinessSettings Readiness { get; } = new();

    /// <summary>Test the image on a droplet made from it (default).</summary>
    public bool TestImage { get; set; } = true;

    /// <summary>The image test (<c>DoTestImage</c>'s settings): token, address and region default to the template's.</summary>
    public TestImageSettings Test { get; } = new();

    /// <summary>Keep the build droplet when a step fails, with its key in <c>artifacts/kept-droplets/</c>.</summary>
    public bool KeepDropletOnFailure { get; set; }

    /// <summary>Keep a snapshot made by a build that then fails (by default it is deleted).</summary>
    public bool KeepSnapshotOnFailure { get; set; }
}
