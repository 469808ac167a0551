using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace;

/// <summary>Testing an image as a customer meets it.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Creates a droplet from the image and checks it as a customer would meet it: the first boot completes (check 1);
    /// per-instance and per-once scripts ran on this first boot, not a stale record from the build (2, 3); the MOTD shows
    /// at an interactive login (4); the first-login script runs at the first login and not the second (5); no build-time
    /// key survived (6); then the app, from outside the droplet — from the machine running the build, at the droplet's
    /// public IPv4 — as a customer meets it: <c>systemctl is-system-running</c> says running, not degraded (9); the
    /// <see cref="TestImageSettings.Services"/> are active and enabled (10); the <see cref="TestImageSettings.OpenPorts"/>
    /// accept connections (11); the <see cref="TestImageSettings.HttpChecks"/> answer with their status and text (12);
    /// the <see cref="TestImageSettings.ClosedPorts"/> do not connect even while something listens on them, so the
    /// firewall really filters (13). App checks retry until <see cref="TestImageSettings.AppTimeout"/> while services
    /// start. After a reboot: nothing ran again (7) and checks 9–13 again as 14–18, since enabled services must come back.
    /// Last, the Marketplace checks still pass (8). The droplet is destroyed on every path. Writes the report as Markdown,
    /// JSON and JUnit XML and fails the build on a failed check unless told otherwise.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The snapshot's image id (from <c>DoSnapshot</c>).</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// var image = DoSnapshot(droplet);
    /// DoTestImage(image.ImageId);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='test-image' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ValidationReport DoTestImage(this ICakeContext context, long imageId) =>
        context.DoTestImage(imageId, new TestImageSettings());

    /// <summary>Tests an image; see <see cref="DoTestImage(ICakeContext, long)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The snapshot's image id.</param>
    /// <param name="settings">Droplet, first-login input, reboot, the app checks, reports.</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// var settings = new TestImageSettings { BuildHostKeyFingerprint = droplet.HostKeyFingerprint };
    /// settings.FirstLoginInput.Add("example.com");
    /// settings.HttpChecks.Add(new HttpCheck("/", 200, "Welcome to nginx"));
    /// settings.HttpChecks.Add(new HttpCheck("/admin/")
    /// {
    ///     UserName = "admin",
    ///     PasswordCommand = "sed -n 's/^admin_password=//p' /root/.digitalocean_passwords",
    /// });
    /// settings.OpenPorts.Add(22);
    /// settings.OpenPorts.Add(80);
    /// settings.ClosedPorts.Add(3306);                  // MariaDB must not be reachable from outside
    /// settings.Services.Add("nginx");
    /// settings.Services.Add("mariadb");
    /// settings.AppTimeout = TimeSpan.FromMinutes(2);
    /// DoTestImage(image.ImageId, settings);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='test-image' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ValidationReport DoTestImage(this ICakeContext context, long imageId, TestImageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ImageTester.CheckSettings(settings, nameof(TestImageSettings));
        var log = Log(context);
        using var api = CreateApiClient(context, settings, $"{nameof(TestImageSettings)}.{nameof(settings.Token)}");
        var tester = new ImageTester(api, log, async (options, t) => await SshRemoteSession.ConnectAsync(options, log, t).ConfigureAwait(false));
        var report = BuildCancellation.Run(t => tester.TestAsync(imageId, settings, t));
        var folder = settings.ReportDirectory is null
            ? null
            : new ReportFolder(context.FileSystem, settings.ReportDirectory.MakeAbsolute(context.Environment));
        return tester.Report(report, imageId, folder, settings.FailOnError);
    }

    /// <summary>Tests an image; see <see cref="DoTestImage(ICakeContext, long)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The snapshot's image id.</param>
    /// <param name="configure">Sets droplet, first-login input, reboot, the app checks, reports.</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// DoTestImage(image.ImageId, s =>
    /// {
    ///     s.HttpChecks.Add(new HttpCheck("/", 200, "Welcome"));
    ///     s.OpenPorts.Add(80);
    ///     s.ClosedPorts.Add(8080);
    ///     s.Services.Add("nginx");
    /// });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='test-image' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Image)]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ValidationReport DoTestImage(this ICakeContext context, long imageId, Action<TestImageSettings> configure) =>
        context.DoTestImage(imageId, Configure(configure));
}
