using System.Text.RegularExpressions;
using Cake.DoMarketplace.FirstBoot;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>Turns first-boot facts into findings.</summary>
internal static partial class ReadinessChecks
{
    [GeneratedRegex("^[0-9]+[-_]")]
    private static partial Regex OrderPrefix();

    public static IReadOnlyList<ReadinessFinding> Evaluate(ImageFacts facts)
    {
        var findings = new List<ReadinessFinding>();
        var scripts = facts.All<BootScriptFact>().ToList();
        var perOnceScripts = scripts.Where(s => s.Stage == "per-once").ToList();
        var records = facts.All<PerOnceRecordFact>().Select(r => r.Path).ToList();
        if (perOnceScripts.Count > 0)
        {
            findings.Add(records.Count > 0
                ? new ReadinessFinding(records[0], CheckLevel.Warn,
                    $"cloud-init's record of the build droplet's first boot is still there: the {perOnceScripts.Count} per-once script(s) will NOT run on "
                        + "customers' droplets. DoCleanupImage clears it.")
                : new ReadinessFinding("/var/lib/cloud/sem", CheckLevel.Pass,
                    $"No per-once record: the {perOnceScripts.Count} per-once script(s) will run on the first boot."));
        }

        foreach (var (stage, path, executable, head, crlf) in scripts)
        {
            var problems = new List<string>();
            if (executable != "x")
            {
                problems.Add("not executable (cloud-init skips it): chmod 755");
            }

            if (head != "#!")
            {
                problems.Add("no shebang line: cloud-init cannot execute it");
            }

            if (crlf > 0)
            {
                problems.Add($"{crlf} line(s) end in CRLF: the shell fails with $'\\r': command not found");
            }

            if (!OrderPrefix().IsMatch(Path.GetFileName(path)))
            {
                problems.Add("no numeric order prefix (01-name.sh): its place in the run order is accidental");
            }

            findings.Add(problems.Count > 0
                ? new ReadinessFinding(path, CheckLevel.Warn, $"{stage} script: {string.Join("; ", problems)}.")
                : new ReadinessFinding(path, CheckLevel.Pass, $"{stage} script is executable, has a shebang and LF endings."));
        }

        foreach (var motd in facts.All<MotdScriptFact>())
        {
            findings.Add(motd.Executable == "x"
                ? new ReadinessFinding(motd.Path, CheckLevel.Pass, "MOTD script is executable.")
                : new ReadinessFinding(motd.Path, CheckLevel.Warn, "MOTD script is not executable: it will not be shown at login (chmod 755)."));
        }

        foreach (var (path, presence, executable, last, guarded) in facts.All<FirstLoginFact>())
        {
            var problems = new List<string>();
            if (presence != "present")
            {
                problems.Add("/root/.bashrc runs it but the file is missing");
            }
            else
            {
                if (executable != "x")
                {
                    problems.Add("not executable");
                }

                if (guarded == "bare")
                {
                    problems.Add(
                        "its /root/.bashrc line runs in every bash over SSH too (scp, automation, the build's own commands), not only at an interactive "
                        + "login: guard it with 'case $- in *i*) … ;; esac' (DoInstallFirstLoginScript does)");
                }

                if (last.Trim() != FirstBootInstaller.FirstLoginTail)
                {
                    problems.Add($"does not end with '{FirstBootInstaller.FirstLoginTail}', so it runs on every login, not only the first");
                }
            }

            findings.Add(problems.Count > 0
                ? new ReadinessFinding(path, CheckLevel.Warn, $"first-login script: {string.Join("; ", problems)}.")
                : new ReadinessFinding(path, CheckLevel.Pass, "first-login script runs once and removes its hook."));
        }

        return findings;
    }
}
