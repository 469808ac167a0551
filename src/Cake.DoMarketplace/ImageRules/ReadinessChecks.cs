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
        var perOnceScripts = facts.All("script").Where(r => r[1] == "per-once").ToList();
        var records = facts.All("per_once_record").Select(r => r[1]).ToList();
        if (perOnceScripts.Count > 0)
        {
            findings.Add(records.Count > 0
                ? new ReadinessFinding(records[0], CheckLevel.Warn,
                    $"cloud-init's record of the build droplet's first boot is still there: the {perOnceScripts.Count} per-once script(s) will NOT run on customers' droplets. DoCleanupImage clears it.")
                : new ReadinessFinding("/var/lib/cloud/sem", CheckLevel.Pass, $"No per-once record: the {perOnceScripts.Count} per-once script(s) will run on the first boot."));
        }

        foreach (var script in facts.All("script"))
        {
            var (stage, path, executable, head, crlf) = (script[1], script[2], script[3], script[4], ImageFacts.Number(script, 5));
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

        foreach (var motd in facts.All("motd"))
        {
            findings.Add(motd[2] == "x"
                ? new ReadinessFinding(motd[1], CheckLevel.Pass, "MOTD script is executable.")
                : new ReadinessFinding(motd[1], CheckLevel.Warn, "MOTD script is not executable: it will not be shown at login (chmod 755)."));
        }

        foreach (var hook in facts.All("first_login"))
        {
            var (path, presence, executable, last, guarded) = (hook[1], hook[2], hook.ElementAtOrDefault(3), hook.ElementAtOrDefault(4) ?? string.Empty, hook.ElementAtOrDefault(5));
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
                    problems.Add("its /root/.bashrc line runs in every bash over SSH too (scp, automation, the build's own commands), not only at an interactive login: guard it with 'case $- in *i*) … ;; esac' (DoInstallFirstLoginScript does)");
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
