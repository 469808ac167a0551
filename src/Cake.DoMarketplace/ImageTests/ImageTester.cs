using System.Globalization;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>
/// Tests an image as a customer meets it: a droplet made from it, its first boot, two logins, the app from outside
/// (<see cref="AppTester"/>), a reboot and the app again, then the Marketplace checks again; <see cref="ImageTestChecks"/>
/// turns what was seen into checks 1–8. The droplet is destroyed on every path.
/// </summary>
internal sealed class ImageTester(IDoApiClient api, ICakeLog log, SessionOpener openSession)
{
    private const string BootTimeoutSetting = nameof(TestImageSettings) + "." + nameof(TestImageSettings.BootTimeout);
    private const string LoginTimeoutSetting = nameof(TestImageSettings) + "." + nameof(TestImageSettings.LoginTimeout);
    private static readonly LaunchTimeoutSettings BootTimeouts = new(BootTimeoutSetting, BootTimeoutSetting, BootTimeoutSetting);

    /// <summary>Everything in the settings that needs no API call, checked before a droplet exists.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="prefix">Their name in messages: <c>TestImageSettings</c>, or <c>MarketplaceImageSettings.Test</c>.</param>
    public static void CheckSettings(TestImageSettings settings, string prefix)
    {
        ArgumentNullException.ThrowIfNull(settings);
        SettingsRules.Positive(settings.BootTimeout, $"{prefix}.{nameof(settings.BootTimeout)}");
        SettingsRules.Positive(settings.LoginTimeout, $"{prefix}.{nameof(settings.LoginTimeout)}");
        AppSettingsRules.CheckSettings(settings, prefix);
    }

    /// <summary>
    /// Tests the image; <paramref name="region"/>, <paramref name="buildHostKey"/> and <paramref name="size"/> stand in for
    /// the settings' own when those are not set (DoBuildImage passes its build droplet's, without writing them into the
    /// caller's settings: an image never fits a smaller disk than the droplet it was taken from, so the cheapest size can
    /// be too small).
    /// </summary>
    public async Task<ValidationReport> TestAsync(long imageId, TestImageSettings settings, CancellationToken cancellationToken, string? region = null,
        string? buildHostKey = null, string? size = null)
    {
        CheckSettings(settings, nameof(TestImageSettings));
        var dropletSettings = new BuildDropletSettings
        {
            Token = settings.Token,
            ApiUrl = settings.ApiUrl,
            Name = settings.Name ?? $"image-test-{imageId}",
            Region = settings.Region ?? region,
            Size = settings.Size ?? size,
            Image = imageId.ToString(CultureInfo.InvariantCulture),
            ActiveTimeout = settings.BootTimeout,
            SshTimeout = settings.BootTimeout,
            CloudInitTimeout = settings.BootTimeout,
            LeaveUnsetToApi = true, // created as a customer's default create is: DigitalOcean decides on its agents
        };
        log.Info($"Testing image {imageId} on a new droplet, as a customer would meet it");
        using var probe = new AppProbe();
        var droplet = await new BuildDropletLauncher(api, log, openSession).LaunchAsync(dropletSettings, cancellationToken, "test droplet",
            BootTimeouts).ConfigureAwait(false);
        Exception? failure = null;
        try
        {
            var session = droplet.Session;
            var first = await FactsAsync(session, cancellationToken).ConfigureAwait(false);
            var login1 = await LoginAsync(session, settings.FirstLoginInput.ToList(), settings.LoginTimeout, cancellationToken).ConfigureAwait(false);
            var afterLogin1 = await FactsAsync(session, cancellationToken).ConfigureAwait(false);
            await LoginAsync(session, [], settings.LoginTimeout, cancellationToken).ConfigureAwait(false);
            var afterLogin2 = await FactsAsync(session, cancellationToken).ConfigureAwait(false);

            // The app as a customer meets it, from outside (checks 9-13), and again after a reboot (14-18).
            var app = new AppTester(session, probe, log, droplet.PublicIPv4);
            var checks = new List<ValidationCheck>(await app.RunAsync(settings, afterReboot: false, cancellationToken).ConfigureAwait(false));
            ImageFacts? afterReboot = null;
            if (settings.Reboot)
            {
                await session.RunAsync("reboot", new RemoteCommandSettings { ExpectReboot = true, AllowNonZeroExit = true, LogOutput = false },
                    cancellationToken).ConfigureAwait(false);
                await CloudInitWaiter.WaitAsync(
                    session, settings.BootTimeout, BootTimeoutSetting, log, cancellationToken, failOnError: false, after: "the reboot").ConfigureAwait(false);
                afterReboot = await FactsAsync(session, cancellationToken).ConfigureAwait(false);
                checks.AddRange(await app.RunAsync(settings, afterReboot: true, cancellationToken).ConfigureAwait(false));
            }

            var validation = await new ImageValidator(session, new NullLog()).ValidateAsync(
                new ValidationSettings { FailOnError = false, RefreshPackageIndex = false }, cancellationToken).ConfigureAwait(false);
            var hostKey = (session as SshRemoteSession)?.HostKeyFingerprint;
            checks.AddRange(ImageTestChecks.Evaluate(new ImageTestObservations(
                first, login1, afterLogin1, afterLogin2, afterReboot, droplet.TemporaryPublicKey, hostKey, settings.BuildHostKeyFingerprint ?? buildHostKey,
                    validation)));
            var report = new ValidationReport($"image {imageId}", OperatingSystem(first), DateTimeOffset.UtcNow, checks.OrderBy(c => c.Id).ToList());
            foreach (var check in report.Checks)
            {
                var line = $"[{droplet.Name}] {check.Level.ToString().ToUpperInvariant(),-4} {check.Id}. {check.Name}: {check.Message}";
                if (check.Level == CheckLevel.Fail) { log.Fail(line); } else if (check.Level == CheckLevel.Warn) { log.Warn(line); } else { log.Info(line); }
            }

            log.Info($"Image test of {imageId}: {report.Summary}");
            return report;
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            // A droplet that cannot be destroyed is reported after the test's own error, never instead of it.
            var guard = new CleanupGuard(log);
            await guard.RunAsync($"destroy {droplet}", () => new BuildDropletDestroyer(log).DestroyAsync(droplet, CancellationToken.None))
                .ConfigureAwait(false);
            guard.Conclude(failure, $"The image test of {imageId}");
        }
    }

    /// <summary>The report's operating system: what the test droplet's /etc/os-release calls itself (PRETTY_NAME).</summary>
    internal static string OperatingSystem(ImageFacts facts) =>
        facts.One<OsNameFact>().PrettyName is { Length: > 0 } name ? name : "unknown (/etc/os-release has no PRETTY_NAME)";

    /// <summary>Writes the report as Markdown, JSON and JUnit XML into <paramref name="folder"/> (none when null), then fails on a failed check when
    /// asked.</summary>
    public ValidationReport Report(ValidationReport report, long imageId, ReportFolder? folder, bool failOnError)
    {
        if (folder is not null)
        {
            var files = ValidationReportWriter.WriteAll(report, folder, $"image-{imageId}-test");
            log.Info($"Image test report: {string.Join(", ", files)}");
        }

        return report.HasFailures && failOnError ? throw new ImageValidationException(report) : report;
    }

    /// <summary>An interactive login whose timeout message names <see cref="TestImageSettings.LoginTimeout"/>.</summary>
    internal static async Task<string> LoginAsync(IRemoteSession session, IReadOnlyList<string> input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await session.InteractiveLoginAsync(input, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException e) when (e.Setting is null)
        {
            throw new WaitTimeoutException(e.Awaited, e.Timeout, e.LastState, LoginTimeoutSetting, e);
        }
    }

    private static Task<ImageFacts> FactsAsync(IRemoteSession session, CancellationToken cancellationToken) =>
        ImageTestFacts.Script.RunAsync(session, null, null, null, cancellationToken);
}
