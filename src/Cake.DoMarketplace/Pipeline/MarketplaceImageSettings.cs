using Cake.Core.IO;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Snapshots;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// Settings of <c>DoBuildImage</c>: the whole Marketplace image build in the layout vendors use — a <c>files/</c> tree
/// copied onto the droplet and numbered <c>scripts/</c> run in order — plus first-boot scripts, MOTD, first-login
/// script, cleanup, validation, snapshot and the image test.
/// </summary>
public sealed class MarketplaceImageSettings
{
    /// <summary>
    /// The build droplet (token and API address too). As in <c>DoCreateBuildDroplet</c>, it gets no droplet agent unless
    /// <see cref="BuildDropletSettings.DropletAgent"/> asks for it; the cleanup purges the agent either way.
    /// </summary>
    /// <example>
    /// <code>
    /// settings.Droplet.Region = "fra1";
    /// settings.Droplet.DropletAgent = true; // the web console while the build runs
    /// </code>
    /// </example>
    public BuildDropletSettings Droplet { get; } = new();

    /// <summary>Install all updates first (default).</summary>
    public bool UpdatePackages { get; set; } = true;

    /// <summary>
    /// When set, the build first deletes what crashed builds left behind (see <c>DoCleanupOrphans</c>), with the API
    /// access of <see cref="Droplet"/>. Null (default): no sweep.
    /// </summary>
    public Orphans.OrphanCleanupSettings? CleanupOrphans { get; set; }

    /// <summary>Packages to install from the distribution's repositories.</summary>
    public IList<string> Packages { get; } = new List<string>();

    /// <summary>
    /// The package steps (updates, <see cref="Packages"/>): how long the package manager may run, and how long they wait
    /// while another process holds its locks (<see cref="Cake.DoMarketplace.Packages.PackageSettings.LockTimeout"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// settings.PackageManager.LockTimeout = TimeSpan.FromMinutes(20);
    /// </code>
    /// </example>
    public Cake.DoMarketplace.Packages.PackageSettings PackageManager { get; internal init; } = new();

    /// <summary>A local folder copied onto <c>/</c> of the droplet, modes kept (the vendors' <c>files/</c>).</summary>
    public DirectoryPath? FilesDirectory { get; set; }

    /// <summary>A local folder whose <c>*.sh</c> scripts run on the droplet in name order (the vendors' <c>scripts/</c>).</summary>
    public DirectoryPath? ScriptsDirectory { get; set; }

    /// <summary>
    /// Upper bound of each script of <see cref="ScriptsDirectory"/>; past it the script is stopped and the build fails
    /// naming this setting. Null (default) waits as long as a script takes (a silent one is reported every minute).
    /// </summary>
    public TimeSpan? ScriptTimeout { get; set; }

    /// <summary>Per-once first-boot scripts (names with an order prefix).</summary>
    public IList<FilePath> PerOnceScripts { get; } = new List<FilePath>();

    /// <summary>Per-instance first-boot scripts (names with an order prefix).</summary>
    public IList<FilePath> PerInstanceScripts { get; } = new List<FilePath>();

    /// <summary>Per-boot scripts (names with an order prefix).</summary>
    public IList<FilePath> PerBootScripts { get; } = new List<FilePath>();

    /// <summary>The first-login script, installed into <c>/opt/&lt;Company&gt;/</c>.</summary>
    public FilePath? FirstLoginScript { get; set; }

    /// <summary>The vendor folder under <c>/opt</c> for the first-login script.</summary>
    public string? Company { get; set; }

    /// <summary>The MOTD's name (<c>/etc/update-motd.d/99-&lt;name&gt;</c>).</summary>
    public string? MotdName { get; set; }

    /// <summary>The MOTD text.</summary>
    public string? MotdText { get; set; }

    /// <summary>Cleanup before the snapshot.</summary>
    public CleanupSettings Cleanup { get; internal init; } = new();

    /// <summary>The image checks: the 18 Marketplace checks + /tmp mode (19).</summary>
    public ValidationSettings Validation { get; internal init; } = new();

    /// <summary>First-boot readiness.</summary>
    public ReadinessSettings Readiness { get; internal init; } = new();

    /// <summary>The snapshot (and transfers). The build droplet is always destroyed.</summary>
    public SnapshotSettings Snapshot { get; } = new();

    /// <summary>
    /// Your own provisioning, run on the build droplet after the numbered scripts and before the first-boot scripts are
    /// installed, so <c>DoBuildImage</c> and the single aliases combine; it gets the live build droplet.
    /// </summary>
    /// <example>
    /// <code>
    /// settings.Provision = droplet =>
    /// {
    ///     DoRunRemote(droplet, "systemctl enable --now myapp");
    ///     DoWriteRemoteFile(droplet, "/etc/myapp/release", version);
    /// };
    /// </code>
    /// </example>
    public Action<BuildDroplet>? Provision { get; set; }

    /// <summary>Test the image on a droplet made from it (default).</summary>
    public bool TestImage { get; set; } = true;

    /// <summary>
    /// The image test, run as <c>DoTestImage</c> with these settings: first boot, logins, reboot, and the app from outside
    /// (<see cref="TestImageSettings.HttpChecks"/>, <see cref="TestImageSettings.OpenPorts"/>,
    /// <see cref="TestImageSettings.ClosedPorts"/>, <see cref="TestImageSettings.Services"/>,
    /// <see cref="TestImageSettings.RequireSystemRunning"/>). Checked with the other settings before the build droplet
    /// is created. Token, API address, region and the build host key default to the build's.
    /// </summary>
    /// <example>
    /// <code>
    /// settings.Test.HttpChecks.Add(new HttpCheck("/", 200, "Welcome"));
    /// settings.Test.OpenPorts.Add(80);
    /// settings.Test.ClosedPorts.Add(8080);
    /// settings.Test.Services.Add("nginx");
    /// </code>
    /// </example>
    public TestImageSettings Test { get; internal init; } = new();

    /// <summary>
    /// Keep the build droplet when a step fails, to look at it: its temporary private key is written to
    /// <c>artifacts/kept-droplets/&lt;name&gt;-&lt;id&gt;_ed25519</c> (mode 0600), and the log gives the <c>ssh -i</c> line
    /// and the command that deletes the droplet, its temporary key and the key file.
    /// </summary>
    public bool KeepDropletOnFailure { get; set; }

    /// <summary>Steps another recipe runs on the build droplet after the numbered scripts (a Packer template's provisioners).</summary>
    internal IReadOnlyList<RemoteStep> RemoteSteps { get; init; } = [];
}
