using Cake.Core.IO;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>
/// Settings of <c>DoTestImage</c>: the droplet made from the image, what a user would type, and the app as a customer
/// meets it from outside the droplet (HTTP answers, open and firewalled ports, systemd services).
/// </summary>
public sealed class TestImageSettings : DoApiSettings
{
    /// <summary>Name of the test droplet; defaults to <c>image-test-&lt;image id&gt;</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Region; defaults as for the build droplet (the image must be there).</summary>
    public string? Region { get; set; }

    /// <summary>Size; defaults to the build droplet's in <c>DoBuildImage</c> (the image fits it), else the cheapest in the region.</summary>
    public string? Size { get; set; }

    /// <summary>Lines typed at the first interactive login, for a first-login script that asks questions.</summary>
    public IList<string> FirstLoginInput { get; } = new List<string>();

    /// <summary>Reboot the droplet and check that first-boot scripts do not run again (default).</summary>
    public bool Reboot { get; set; } = true;

    /// <summary>The build droplet's SSH host key fingerprint (<c>SHA256:…</c>); the image's droplets must not reuse it.</summary>
    public string? BuildHostKeyFingerprint { get; set; }

    /// <summary>Where to write the report as Markdown, JSON and JUnit XML; null for none.</summary>
    public DirectoryPath? ReportDirectory { get; set; } = "artifacts/image-test";

    /// <summary>Fail the build when a check fails (default).</summary>
    public bool FailOnError { get; set; } = true;

    /// <summary>
    /// How long each stage of the test droplet's first boot may take: becoming active, sshd accepting the key, cloud-init
    /// finishing (and cloud-init again after the reboot).
    /// </summary>
    public TimeSpan BootTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one interactive login may take.</summary>
    public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// HTTP requests sent from outside, to <c>http://&lt;droplet ip&gt;:&lt;Port&gt;&lt;Path&gt;</c>, each retried until it
    /// answers with the expected status (and text) or <see cref="AppTimeout"/> passes.
    /// </summary>
    public IList<HttpCheck> HttpChecks { get; } = new List<HttpCheck>();

    /// <summary>TCP ports that must accept a connection from outside (the firewall lets them through, something listens).</summary>
    public IList<int> OpenPorts { get; } = new List<int>();

    /// <summary>
    /// TCP ports that must not accept a connection from outside even while something listens on them: the test starts a
    /// temporary listener inside the droplet when nothing listens, so only the firewall can keep the port closed.
    /// </summary>
    public IList<int> ClosedPorts { get; } = new List<int>();

    /// <summary>systemd units that must be active and enabled, e.g. <c>nginx</c>, <c>php8.2-fpm</c>, <c>mariadb</c>.</summary>
    public IList<string> Services { get; } = new List<string>();

    /// <summary>
    /// <c>systemctl is-system-running --wait</c> must say <c>running</c>, not <c>degraded</c> (default); the failed units
    /// are listed.
    /// </summary>
    public bool RequireSystemRunning { get; set; } = true;

    /// <summary>
    /// How long the app checks keep retrying until the app answers, after the first boot and again after the reboot
    /// (a first boot may still be starting or restarting services). One budget for all app checks of a boot.
    /// </summary>
    public TimeSpan AppTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
