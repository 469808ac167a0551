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
/// (<see cref="AppTester"/>), a reboot and the app again, then the Marketplace checks again. The droplet is destroyed on
/// every path.
/// </summary>
internal sealed class ImageTester(IDoApiClient api, ICakeLog log, SessionOpener openSession)
{
    private const string BootTimeoutSetting = nameof(TestImageSettings) + "." + nameof(TestImageSettings.BootTimeout);
    private const string LoginTimeoutSetting = nameof(TestImageSettings) + "." + nameof(TestImageSettings.LoginTimeout);
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false };
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

    public async Task<ValidationReport> TestAsync(long imageId, TestImageSettings settings, CancellationToken cancellationToken)
    {
        CheckSettings(settings, nameof(TestImageSettings));
        var dropletSettings = new BuildDropletSettings
        {
            Token = settings.Token,
            ApiUrl = settings.ApiUrl,
            Name = settings.Name ?? $"image-test-{imageId}",
            Region = settings.Region,
            Size = settings.Size,
            Image = imageId.ToString(CultureInfo.InvariantCulture),
            ActiveTimeout = settings.BootTimeout,
            SshTimeout = settings.BootTimeout,
            CloudInitTimeout = settings.BootTimeout,
        };
        log.Info($"Testing image {imageId} on a new droplet, as a customer would meet it");
        using var probe = new AppProbe();
        var droplet = await new BuildDropletLauncher(api, log, openSession).LaunchAsync(dropletSettings, cancellationToken, "test droplet", BootTimeouts).ConfigureAwait(false);
        try
        {
            var checks = new List<ValidationCheck>();
            var session = droplet.Session;
            var first = await FactsAsync(session, cancellationToken).ConfigureAwait(false);
            var instanceStart = ImageFacts.Number(first.One("instance") ?? [], 2);
            checks.Add(FirstBoot(first));
            checks.Add(StageRan(first, "per-instance", 2, instanceStart));
            checks.Add(StageRan(first, "per-once", 3, instanceStart));

            var hooksBefore = first.All("hook").Select(h => h[1]).ToList();
            var login1 = await LoginAsync(session, settings.FirstLoginInput.ToList(), settings.LoginTimeout, cancellationToken).ConfigureAwait(false);
            var afterLogin1 = await FactsAsync(session, cancellationToken).ConfigureAwait(false);
            var login2 = await LoginAsync(session, [], settings.LoginTimeout, cancellationToken).ConfigureAwait(false);
            var afterLogin2 = await FactsAsync(session, cancellationToken).ConfigureAwait(false);
            checks.Add(Motd(first, login1));
            checks.Add(FirstLogin(hooksBefore, afterLogin1, afterLogin2));
            checks.Add(Keys(session, first, droplet, settings));

            // The app as a customer meets it, from outside (checks 9-13), and again after a reboot (14-18).
            var app = new AppTester(session, probe, log, droplet.PublicIPv4);
            checks.AddRange(await app.RunAsync(settings, afterReboot: false, cancellationToken).ConfigureAwait(false));
            if (settings.Reboot)
            {
                await session.RunAsync("reboot", new RemoteCommandSettings { ExpectReboot = true, AllowNonZeroExit = true, LogOutput = false }, cancellationToken).ConfigureAwait(false);
                await session.RunAsync("cloud-init status --wait >/dev/null; true", new RemoteCommandSettings { LogOutput = false, Timeout = settings.BootTimeout, TimeoutSetting = BootTimeoutSetting }, cancellationToken).ConfigureAwait(false);
                checks.Add(NotRerun(afterLogin2, await FactsAsync(session, cancellationToken).ConfigureAwait(false)));
                checks.AddRange(await app.RunAsync(settings, afterReboot: true, cancellationToken).ConfigureAwait(false));
            }

            checks.Add(await ValidationAsync(session, cancellationToken).ConfigureAwait(false));
            var report = new ValidationReport($"image {imageId}", droplet.Image, DateTimeOffset.UtcNow, checks.OrderBy(c => c.Id).ToList());
            foreach (var check in report.Checks)
            {
                var line = $"[{droplet.Name}] {check.Level.ToString().ToUpperInvariant(),-4} {check.Id}. {check.Name}: {check.Message}";
                if (check.Level == CheckLevel.Fail) { log.Fail(line); } else if (check.Level == CheckLevel.Warn) { log.Warn(line); } else { log.Info(line); }
            }

            log.Info($"Image test of {imageId}: {report.Summary}");
            return report;
        }
        finally
        {
            await new BuildDropletDestroyer(log).DestroyAsync(droplet, CancellationToken.None).ConfigureAwait(false);
        }
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

    private static async Task<ImageFacts> FactsAsync(IRemoteSession session, CancellationToken cancellationToken) =>
        ImageFacts.Parse((await session.RunBashAsync(ImageScripts.ImageTestFacts, null, Quiet, cancellationToken).ConfigureAwait(false)).StandardOutput);

    private static ValidationCheck FirstBoot(ImageFacts facts)
    {
        var status = facts.Field("status", 1);
        var errors = ImageFacts.Number(facts.One("errors") ?? [], 1);
        return status == "done" && errors == 0
            ? Pass(1, "First boot completed", "cloud-init finished its first boot without errors.")
            : new ValidationCheck(1, "First boot completed", CheckLevel.Fail, $"cloud-init status '{status}' with {errors} error(s): a first-boot script or module failed (see /var/log/cloud-init-output.log).", [$"status {status}", $"errors {errors}"]);
    }

    private static ValidationCheck StageRan(ImageFacts facts, string stage, int id, long instanceStart)
    {
        var name = $"{stage} scripts ran on first boot";
        var scripts = facts.All("script").Where(s => s[1] == stage).Select(s => s[2]).ToList();
        if (scripts.Count == 0)
        {
            return Pass(id, name, $"The image has no {stage} scripts.");
        }

        var ranAt = facts.All("sem").Where(s => s[1] == stage).Select(s => ImageFacts.Number(s, 2)).FirstOrDefault();
        if (ranAt >= instanceStart && ranAt > 0)
        {
            return Pass(id, name, $"{scripts.Count} {stage} script(s) ran on this droplet's first boot.", scripts);
        }

        var why = ranAt == 0
            ? "cloud-init never ran them"
            : $"cloud-init's record dates from {DateTimeOffset.FromUnixTimeSeconds(ranAt):u}, before this droplet existed: the record of the build droplet's boot was not cleared, so they did not run (DoCleanupImage clears it)";
        return new ValidationCheck(id, name, CheckLevel.Fail, $"{scripts.Count} {stage} script(s) did not run on first boot: {why}.", scripts);
    }

    private static ValidationCheck Motd(ImageFacts facts, string login)
    {
        var motds = facts.All("motd").ToList();
        if (motds.Count == 0)
        {
            return Pass(4, "MOTD shows at login", "The image sets no 99-* MOTD.");
        }

        var missing = motds.Where(m => m.Length < 3 || m[2].Length == 0 || !login.Contains(m[2].Trim(), StringComparison.Ordinal)).Select(m => m[1]).ToList();
        return missing.Count == 0
            ? Pass(4, "MOTD shows at login", $"{motds.Count} MOTD script(s) shown at the interactive login.", motds.Select(m => m[1]).ToList())
            : new ValidationCheck(4, "MOTD shows at login", CheckLevel.Fail, $"Not shown at login: {string.Join(", ", missing)}.", [.. missing, "login transcript: " + Transcript(login)]);
    }

    private static string Transcript(string login)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(login, @"\x1b\[[0-9;?]*[A-Za-z]", string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal);
        return plain.Length > 600 ? plain[..600] + "…" : plain;
    }

    private static ValidationCheck FirstLogin(List<string> hooksBefore, ImageFacts afterFirst, ImageFacts afterSecond)
    {
        const string Name = "First-login script runs on the first login only";
        if (hooksBefore.Count == 0)
        {
            return Pass(5, Name, "The image has no first-login hook in /root/.bashrc.");
        }

        var left = afterFirst.All("hook").Select(h => h[1]).ToList();
        var back = afterSecond.All("hook").Select(h => h[1]).ToList();
        return left.Count == 0 && back.Count == 0
            ? Pass(5, Name, $"{string.Join(", ", hooksBefore)} ran at the first login and removed its hook.", hooksBefore)
            : new ValidationCheck(5, Name, CheckLevel.Fail, $"The hook is still in /root/.bashrc after the first login ({string.Join(", ", left.Concat(back).Distinct())}): it will run at every login.", left);
    }

    private static ValidationCheck Keys(IRemoteSession session, ImageFacts facts, BuildDroplet droplet, TestImageSettings settings)
    {
        const string Name = "No build-time keys survived";
        var keys = facts.All("authorized_key").Select(k => k[1]).ToList();
        var ours = droplet.TemporaryPublicKey;
        var foreign = keys.Where(k => ours is null || !k.Contains(ours, StringComparison.Ordinal)).ToList();
        var problems = new List<string>();
        if (foreign.Count > 0)
        {
            problems.Add($"{foreign.Count} key(s) in /root/.ssh/authorized_keys besides the one this droplet was created with");
        }

        var hostKey = (session as SshRemoteSession)?.HostKeyFingerprint;
        if (settings.BuildHostKeyFingerprint is { } build && hostKey == build)
        {
            problems.Add($"the SSH host key {hostKey} is the build droplet's: every droplet from the image would share it");
        }

        return problems.Count == 0
            ? Pass(6, Name, "Only this droplet's own key is authorized, and its host key is its own.")
            : new ValidationCheck(6, Name, CheckLevel.Fail, string.Join("; ", problems) + ".", foreign.Select(k => k.Length > 60 ? k[..60] + "…" : k).ToList());
    }

    private static ValidationCheck NotRerun(ImageFacts before, ImageFacts after)
    {
        const string Name = "First-boot scripts do not run again after a reboot";
        var changed = new[] { "per-once", "per-instance" }
            .Where(stage => before.All("sem").FirstOrDefault(s => s[1] == stage)?.ElementAtOrDefault(2) != after.All("sem").FirstOrDefault(s => s[1] == stage)?.ElementAtOrDefault(2))
            .ToList();
        return changed.Count == 0
            ? Pass(7, Name, "After a reboot, cloud-init's per-once and per-instance records are unchanged: nothing ran twice.")
            : new ValidationCheck(7, Name, CheckLevel.Fail, $"{string.Join(" and ", changed)} scripts ran again after a reboot.", changed);
    }

    private async Task<ValidationCheck> ValidationAsync(IRemoteSession session, CancellationToken cancellationToken)
    {
        const string Name = "Marketplace checks still clean on a customer droplet";
        var report = await new ImageValidator(session, new QuietLog()).ValidateAsync(new ValidationSettings { FailOnError = false, RefreshPackageIndex = false }, cancellationToken).ConfigureAwait(false);

        // A customer's droplet has the customer's key (check 14), and logs from its own boot (7): expected there.
        var failures = report.Checks.Where(c => c.Level == CheckLevel.Fail && c.Id != 14).ToList();
        return failures.Count == 0
            ? Pass(8, Name, $"Nothing fails on the new droplet but check 14, which finds the customer's own key in root's authorized_keys, as it should ({report.Count(CheckLevel.Pass)} passed, {report.Count(CheckLevel.Warn)} warnings).")
            : new ValidationCheck(8, Name, CheckLevel.Fail, $"Failing on a customer droplet: {string.Join("; ", failures.Select(f => $"{f.Id}. {f.Name}: {f.Message}"))}", failures.Select(f => f.Name).ToList());
    }

    private static ValidationCheck Pass(int id, string name, string message, IReadOnlyList<string>? evidence = null) =>
        new(id, name, CheckLevel.Pass, message, evidence ?? []);

    private sealed class QuietLog : ICakeLog
    {
        public Verbosity Verbosity { get; set; } = Verbosity.Quiet;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
        }
    }
}
