using System.Text.RegularExpressions;
using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>What <see cref="ImageTester"/> saw on the test droplet, for <see cref="ImageTestChecks"/>.</summary>
/// <param name="FirstBoot">image-test-facts.sh after the first boot.</param>
/// <param name="FirstLogin">The transcript of the first interactive login.</param>
/// <param name="AfterFirstLogin">image-test-facts.sh after the first login.</param>
/// <param name="AfterSecondLogin">image-test-facts.sh after the second login.</param>
/// <param name="AfterReboot">image-test-facts.sh after the reboot; null when the test did not reboot.</param>
/// <param name="TemporaryPublicKey">The key the test droplet was created with.</param>
/// <param name="HostKeyFingerprint">The test droplet's SSH host key.</param>
/// <param name="BuildHostKeyFingerprint">The build droplet's SSH host key, when known.</param>
/// <param name="Validation">The Marketplace checks run on the test droplet.</param>
internal sealed record ImageTestObservations(
    ImageFacts FirstBoot,
    string FirstLogin,
    ImageFacts AfterFirstLogin,
    ImageFacts AfterSecondLogin,
    ImageFacts? AfterReboot,
    string? TemporaryPublicKey,
    string? HostKeyFingerprint,
    string? BuildHostKeyFingerprint,
    ValidationReport Validation);

/// <summary>
/// The image test's own checks, evaluated from what was seen on the test droplet: pure, so every wording is testable
/// without a droplet. 1 first boot, 2 per-instance and 3 per-once scripts ran, 4 MOTD, 5 first login, 6 no build-time
/// keys, 7 nothing ran again after a reboot (only when the test reboots), 8 the Marketplace checks. 9–18 are
/// <see cref="AppChecks"/>.
/// </summary>
internal static partial class ImageTestChecks
{
    /// <summary>The cloud-init stages whose scripts must not run again after a reboot.</summary>
    private static readonly string[] RunOnlyOnceStages = ["per-once", "per-instance"];

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex TerminalEscape();

    public static IReadOnlyList<ValidationCheck> Evaluate(ImageTestObservations seen)
    {
        var first = seen.FirstBoot;
        var checks = new List<ValidationCheck>
        {
            FirstBoot(first),
            StageRan(first, "per-instance", 2),
            StageRan(first, "per-once", 3),
            Motd(first, seen.FirstLogin),
            FirstLogin(first, seen.AfterFirstLogin, seen.AfterSecondLogin),
            Keys(first, seen.TemporaryPublicKey, seen.HostKeyFingerprint, seen.BuildHostKeyFingerprint),
        };
        if (seen.AfterReboot is { } afterReboot)
        {
            checks.Add(NotRerun(seen.AfterSecondLogin, afterReboot));
        }

        checks.Add(Validation(seen.Validation));
        return checks;
    }

    private static ValidationCheck FirstBoot(ImageFacts facts)
    {
        var status = facts.One<CloudInitStatusFact>().Status;
        var errors = facts.One<CloudInitErrorsFact>().Count;
        if (status == "done" && errors == 0)
        {
            return Pass(1, "First boot completed", "cloud-init finished its first boot without errors.");
        }

        var found = errors < 0
            ? $"cloud-init status '{status}', and its result.json (the errors of the boot) could not be read: the first boot did not finish"
            : $"cloud-init status '{status}' with {errors} error(s): a first-boot script or module failed";
        var evidence = new List<string> { $"status {status}", $"errors {(errors < 0 ? "unknown" : errors)}" };
        return new ValidationCheck(1, "First boot completed", CheckLevel.Fail, $"{found} (see /var/log/cloud-init-output.log).", evidence);
    }

    private static ValidationCheck StageRan(ImageFacts facts, string stage, int id)
    {
        var name = $"{stage} scripts ran on first boot";
        var scripts = facts.All<InstalledScriptFact>().Where(s => s.Stage == stage).Select(s => s.Path).ToList();
        if (scripts.Count == 0)
        {
            return Pass(id, name, $"The image has no {stage} scripts.");
        }

        var instanceStart = facts.One<InstanceFact>().StartedAt;
        var ranAt = RanAt(facts, stage);
        if (ranAt >= instanceStart && ranAt > 0)
        {
            return Pass(id, name, $"{scripts.Count} {stage} script(s) ran on this droplet's first boot.", scripts);
        }

        var why = ranAt == 0
            ? "cloud-init never ran them"
            : $"cloud-init's record dates from {DateTimeOffset.FromUnixTimeSeconds(ranAt):u}, before this droplet existed: the record of the build droplet's "
                + "boot was not cleared, so they did not run (DoCleanupImage clears it)";
        return new ValidationCheck(id, name, CheckLevel.Fail, $"{scripts.Count} {stage} script(s) did not run on first boot: {why}.", scripts);
    }

    private static ValidationCheck Motd(ImageFacts facts, string login)
    {
        var motds = facts.All<MotdShownFact>().ToList();
        if (motds.Count == 0)
        {
            return Pass(4, "MOTD shows at login", "The image sets no 99-* MOTD.");
        }

        var missing = motds.Where(m => m.FirstLine.Length == 0 || !login.Contains(m.FirstLine.Trim(), StringComparison.Ordinal)).Select(m => m.Path).ToList();
        return missing.Count == 0
            ? Pass(4, "MOTD shows at login", $"{motds.Count} MOTD script(s) shown at the interactive login.", motds.Select(m => m.Path).ToList())
            : new ValidationCheck(4, "MOTD shows at login", CheckLevel.Fail, $"Not shown at login: {string.Join(", ", missing)}.",
                [.. missing, "login transcript: " + Transcript(login)]);
    }

    private static string Transcript(string login)
    {
        var plain = TerminalEscape().Replace(login, string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal);
        return plain.Length > 600 ? plain[..600] + "…" : plain;
    }

    private static ValidationCheck FirstLogin(ImageFacts first, ImageFacts afterFirst, ImageFacts afterSecond)
    {
        const string Name = "First-login script runs on the first login only";
        var hooksBefore = Hooks(first);
        if (hooksBefore.Count == 0)
        {
            return Pass(5, Name, "The image has no first-login hook in /root/.bashrc.");
        }

        var left = Hooks(afterFirst);
        var back = Hooks(afterSecond);
        return left.Count == 0 && back.Count == 0
            ? Pass(5, Name, $"{string.Join(", ", hooksBefore)} ran at the first login and removed its hook.", hooksBefore)
            : new ValidationCheck(5, Name, CheckLevel.Fail,
                $"The hook is still in /root/.bashrc after the first login ({string.Join(", ", left.Concat(back).Distinct())}): it will run at every "
                + "login.", left);
    }

    private static ValidationCheck Keys(ImageFacts facts, string? temporaryPublicKey, string? hostKey, string? buildHostKey)
    {
        const string Name = "No build-time keys survived";
        var keys = facts.All<AuthorizedKeyFact>().Select(k => k.Line).ToList();
        if (temporaryPublicKey is not null && !keys.Any(k => k.Contains(temporaryPublicKey, StringComparison.Ordinal)))
        {
            // The test logged in with that key: not finding it means the keys were not read where sshd reads them.
            return new ValidationCheck(6, Name, CheckLevel.Fail,
                "/root/.ssh/authorized_keys does not hold the key this droplet was created with, yet the test logged in with it: sshd reads keys " +
                $"from elsewhere (AuthorizedKeysFile), so it is not known which keys survived ({keys.Count} line(s) read).",
                keys.Select(k => k.Length > 60 ? k[..60] + "…" : k).ToList());
        }

        var foreign = keys.Where(k => temporaryPublicKey is null || !k.Contains(temporaryPublicKey, StringComparison.Ordinal)).ToList();
        var problems = new List<string>();
        if (foreign.Count > 0)
        {
            problems.Add($"{foreign.Count} key(s) in /root/.ssh/authorized_keys besides the one this droplet was created with");
        }

        if (buildHostKey is not null && hostKey == buildHostKey)
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
        var changed = RunOnlyOnceStages.Where(stage => RanAt(before, stage) != RanAt(after, stage)).ToList();
        return changed.Count == 0
            ? Pass(7, Name, "After a reboot, cloud-init's per-once and per-instance records are unchanged: nothing ran twice.")
            : new ValidationCheck(7, Name, CheckLevel.Fail, $"{string.Join(" and ", changed)} scripts ran again after a reboot.", changed);
    }

    private static ValidationCheck Validation(ValidationReport report)
    {
        const string Name = "Marketplace checks still clean on a customer droplet";

        // A customer's droplet has the customer's key (check 14), DigitalOcean's agent, which DigitalOcean installs on
        // every new droplet unless the create request says otherwise (18; the build's validation checked the image
        // itself), and logs from its own boot (7): expected there.
        var expected = new Dictionary<int, string>
        {
            [14] = "check 14 finds the customer's own key in root's authorized_keys",
            [18] = "check 18 finds the droplet agent DigitalOcean installed on the new droplet",
        };
        var failures = report.Checks.Where(c => c.Level == CheckLevel.Fail && !expected.ContainsKey(c.Id)).ToList();
        var explained = report.Checks.Where(c => c.Level == CheckLevel.Fail && expected.ContainsKey(c.Id)).Select(c => expected[c.Id]).ToList();
        return failures.Count == 0
            ? Pass(8, Name,
                "Nothing fails on the new "
                + $"droplet{(explained.Count > 0 ? " but what a customer's droplet has: " + string.Join("; ", explained) : string.Empty)} "
                + $"({report.Count(CheckLevel.Pass)} passed, {report.Count(CheckLevel.Warn)} warnings).")
            : new ValidationCheck(8, Name, CheckLevel.Fail,
                $"Failing on a customer droplet: {string.Join("; ", failures.Select(f => $"{f.Id}. {f.Name}: {f.Message}"))}",
                failures.Select(f => f.Name).ToList());
    }

    private static List<string> Hooks(ImageFacts facts) => facts.All<LoginHookFact>().Select(h => h.Path).ToList();

    /// <summary>When cloud-init's record says the stage's scripts ran (0: never); a missing record is an error, not "never".</summary>
    private static long RanAt(ImageFacts facts, string stage) => facts.One<SemaphoreFact>(s => s.Stage == stage, $"for the {stage} stage").RanAt;

    private static ValidationCheck Pass(int id, string name, string message, IReadOnlyList<string>? evidence = null) =>
        new(id, name, CheckLevel.Pass, message, evidence ?? []);
}
