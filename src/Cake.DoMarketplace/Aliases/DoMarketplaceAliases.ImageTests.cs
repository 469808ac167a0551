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
    /// Creates a droplet from the image and checks it as a customer would meet it: the first boot completes; per-instance
    /// and per-once scripts ran on this first boot (not a stale record from the build); the MOTD shows at an interactive
    /// login; the first-login script runs at the first login and not the second; no build-time key survived; nothing
    /// runs again after a reboot; the Marketplace checks still pass. The droplet is destroyed on every path. Writes the
    /// report as Markdown, JSON and JUnit XML and fails the build on a failed check unless told otherwise.
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
    [CakeMethodAlias]
    [CakeAliasCategory("Image")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageRules")]
    public static ValidationReport DoTestImage(this ICakeContext context, long imageId) =>
        context.DoTestImage(imageId, new TestImageSettings());

    /// <summary>Tests an image; see <see cref="DoTestImage(ICakeContext, long)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The snapshot's image id.</param>
    /// <param name="settings">Droplet, first-login input, reboot, reports.</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// var settings = new TestImageSettings { BuildHostKeyFingerprint = droplet.HostKeyFingerprint };
    /// settings.FirstLoginInput.Add("example.com");
    /// DoTestImage(image.ImageId, settings);
    /// </code>
    /// </example>
    [CakeMethodAlias]
    [CakeAliasCategory("Image")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ValidationReport DoTestImage(this ICakeContext context, long imageId, TestImageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log(context);
        using var api = CreateApiClient(context, settings, $"{nameof(TestImageSettings)}.{nameof(settings.Token)}");
        var tester = new ImageTester(api, log, async (options, t) => await SshRemoteSession.ConnectAsync(options, log, t).ConfigureAwait(false));
        var report = BuildCancellation.Run(t => tester.TestAsync(imageId, settings, t));
        if (settings.ReportDirectory is not null)
        {
            var folder = Cake.Core.IO.DirectoryPath.FromString(settings.ReportDirectory).MakeAbsolute(context.Environment).FullPath;
            var files = ValidationReportWriter.WriteAll(report, folder, $"image-{imageId}-test");
            log.Info($"Image test report: {string.Join(", ", files)}");
        }

        if (report.HasFailures && settings.FailOnError)
        {
            throw new ImageValidationException(report);
        }

        return report;
    }

    /// <summary>Tests an image; see <see cref="DoTestImage(ICakeContext, long)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="imageId">The snapshot's image id.</param>
    /// <param name="configure">Sets droplet, first-login input, reboot, reports.</param>
    /// <returns>The report.</returns>
    /// <example>
    /// <code>
    /// DoTestImage(image.ImageId, s => s.Reboot = false);
    /// </code>
    /// </example>
    [CakeMethodAlias]
    [CakeAliasCategory("Image")]
    [CakeNamespaceImport("Cake.DoMarketplace.ImageTests")]
    public static ValidationReport DoTestImage(this ICakeContext context, long imageId, Action<TestImageSettings> configure) =>
        context.DoTestImage(imageId, Configure(configure));
}
