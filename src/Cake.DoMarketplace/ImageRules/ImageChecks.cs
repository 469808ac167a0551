using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>
/// The 18 checks of DigitalOcean's image validation script, with the same meaning and levels, minus its bugs: user
/// accounts and their <c>.ssh</c> folders really count, every firewall tool is read correctly, and security updates
/// come from the package manager's own metadata. Check 19 (/tmp mode) is ours.
/// </summary>
internal static class ImageChecks
{
    /// <summary>How many checks <see cref="Evaluate"/> returns: DigitalOcean's 18 and our /tmp mode check.</summary>
    public const int Count = 19;

    /// <summary>The checks in one phrase, for log lines and step titles.</summary>
    public const string Description = "the 18 Marketplace checks + /tmp mode (19)";

    private const long SmallFile = 50;
    private const long HistoryLimit = 200;

    public static IReadOnlyList<ValidationCheck> Evaluate(ImageFacts facts, SupportedReleases releases)
    {
        var checks = new List<ValidationCheck>();
        checks.AddRange(OperatingSystem(facts, releases));
        checks.Add(CloudInit(facts));
        checks.Add(Firewall(facts));
        checks.Add(SecurityUpdates(facts));
        checks.AddRange(Logs(facts));
        checks.AddRange(Users(facts));
        checks.AddRange(Root(facts));
        checks.Add(Check(18, "DigitalOcean agent absent", facts.One<AgentFolderFact>().Presence == "present",
            CheckLevel.Fail, "/opt/digitalocean exists: purge the droplet agent (DoCleanupImage does).", "/opt/digitalocean is absent.",
                ["/opt/digitalocean"]));
        var tmpMode = facts.One<TmpModeFact>().Mode;
        checks.Add(Check(19, "/tmp is world-writable and sticky (1777)", tmpMode != "1777",
            CheckLevel.Warn, $"/tmp has mode {tmpMode}; package tools and services break unless it is 1777.", "/tmp has mode 1777.", [$"/tmp {tmpMode}"]));
        return checks;
    }

    private static IEnumerable<ValidationCheck> OperatingSystem(ImageFacts facts, SupportedReleases releases)
    {
        var (name, version) = (facts.One<OsFact>().Name, facts.One<OsFact>().VersionId);
        var familyOk = releases.IsSupportedFamily(name);
        yield return Check(1, "Supported operating system", !familyOk, CheckLevel.Fail,
            $"'{name}' is not a distribution the Marketplace accepts ({releases.Describe()}).", $"{name} is supported.", [$"NAME={name}"]);
        var releaseOk = familyOk && releases.IsSupported(name, version);
        yield return Check(2, "Supported release", !releaseOk, CheckLevel.Fail,
            $"{name} {version} is not a supported release ({releases.Describe()}).", $"{name} {version} is supported.", [$"VERSION_ID={version}"]);
    }

    private static ValidationCheck CloudInit(ImageFacts facts)
    {
        var path = facts.One<CloudInitFact>().Path;
        return Check(3, "cloud-init installed", path.Length == 0, CheckLevel.Fail,
            "cloud-init is not installed; droplets made from the image would not get the customer's SSH key or run first-boot scripts.",
            $"cloud-init is at {path}.", []);
    }

    private static ValidationCheck Firewall(ImageFacts facts)
    {
        var evidence = new List<string>();
        var active = false;
        foreach (var firewall in facts.All<FirewallFact>())
        {
            evidence.Add($"{firewall.Tool}: {firewall.State}{(firewall.InputPolicy.Length > 0 ? " " + firewall.InputPolicy : string.Empty)}");
            active |= firewall.Tool switch
            {
                "ufw" or "csf" => firewall.State == "active",
                "firewalld" => firewall.State == "running",
                "nftables" => firewall.RuleCount > 0,
                "iptables" => firewall.RuleCount > 0 || firewall.InputPolicy is "DROP" or "REJECT",
                _ => false,
            };
        }

        return Check(4, "Firewall enabled", !active, CheckLevel.Warn,
            evidence.Count == 0 ? "No firewall tool found (ufw, firewalld, csf, nftables, iptables)." : "No firewall is active.",
            "A firewall is active.", evidence);
    }

    private static ValidationCheck SecurityUpdates(ImageFacts facts)
    {
        var packages = facts.All<SecurityUpdateFact>().Select(u => u.Package).Distinct().ToList();
        var updates = facts.One<UpdatesCheckedFact>();
        var when = $"package index {updates.Refresh}, checked {updates.CheckedAt}";
        if (updates.Listing != "ok")
        {
            // No listing, no answer: an empty list would read as "none pending".
            return new ValidationCheck(5, "No pending security updates", CheckLevel.Fail,
                $"The pending updates could not be listed ({updates.Listing}; {when}), so it is not known whether security updates are pending. " +
                "Fix the package manager, then validate again.",
                [updates.Listing]);
        }

        return Check(5, "No pending security updates", packages.Count > 0, CheckLevel.Fail,
            $"{packages.Count} security update(s) pending ({when}): {string.Join(", ", packages.Take(20))}. Run DoUpdatePackages.",
            $"No security update pending ({when}).", packages);
    }

    private static IEnumerable<ValidationCheck> Logs(ImageFacts facts)
    {
        // DigitalOcean's scan warns about whatever matches /var/log/*-???????? or /var/log/*.[0-9], empty or not, live log
        // (cloud-init.log) or folder; the collector expands the same globs the same way. Compressed archives are ours.
        var archives = facts.All<RotatedLogFact>().DistinctBy(r => r.Path, StringComparer.Ordinal).ToList();
        var folders = archives.Count(r => r.Type == "folder");
        var evidence = archives.Select(r => r.Type switch
        {
            "folder" => $"{r.Path} (a folder matching DigitalOcean's glob; DoCleanupImage removes files only)",
            "compressed" => $"{r.Path} (compressed)",
            _ => r.Path,
        }).ToList();
        var removable = archives.Count - folders;
        var message = $"{archives.Count} log archive(s) in /var/log: DigitalOcean's scan warns about each entry matching /var/log/*-???????? or "
            + "/var/log/*.[0-9], even an empty file or a live log such as cloud-init.log" +
                      (removable > 0 ? "; DoCleanupImage deletes the files (their writers recreate live ones)." : ".");
        yield return Check(6, "No rotated log archives", archives.Count > 0, CheckLevel.Warn, message, "No rotated log archives.", evidence);
        var logs = facts.All<LogFact>().Select(l => $"{l.Path} ({l.Size} bytes)").ToList();
        yield return Check(7, "Logs cleared", logs.Count > 0, CheckLevel.Warn,
            $"{logs.Count} log file(s) over {SmallFile} bytes.", "Log files are empty.", logs);
    }

    private static IEnumerable<ValidationCheck> Users(ImageFacts facts)
    {
        var users = facts.All<UserFact>().ToList();
        var withPassword = users.Where(u => u.PasswordState is "set" or "empty" && u.Name != "centos").Select(u => $"{u.Name} ({u.PasswordState})").ToList();
        yield return Check(8, "User passwords locked", withPassword.Count > 0, CheckLevel.Fail,
            $"User(s) with a password: {string.Join(", ", withPassword)}. Lock them (passwd -l, or usermod -p '*').",
            $"{users.Count} user account(s), none with a password.", withPassword);

        var files = facts.All<UserSshFileFact>().Select(f => (User: f.Owner, f.File, f.Size)).ToList();
        foreach (var check in SshFolderChecks(files, 9, "user", "/home/<user>/.ssh"))
        {
            yield return check;
        }

        var histories = facts.All<UserHistoryFact>().Where(h => h.Size >= HistoryLimit).Select(h => $"{h.Name} ({h.Size} bytes)").ToList();
        yield return Check(12, "User bash history cleared", histories.Count > 0, CheckLevel.Fail,
            $"Bash history left for: {string.Join(", ", histories)}.", "No user bash history.", histories);
    }

    private static IEnumerable<ValidationCheck> Root(ImageFacts facts)
    {
        var state = facts.One<RootPasswordFact>().PasswordState;
        yield return Check(13, "Root password locked", state != "locked", CheckLevel.Fail,
            $"root has a password ({state}); droplets must only accept the customer's SSH key. Lock it with 'passwd -l root' or usermod -p '*' root.",
            "root has no password.", [$"root {state}"]);

        var files = facts.All<RootSshFileFact>().Select(f => (User: "root", f.File, f.Size)).ToList();
        foreach (var check in SshFolderChecks(files, 14, "root", "/root/.ssh"))
        {
            yield return check;
        }

        var history = facts.One<RootHistoryFact>().Size;
        yield return Check(17, "Root bash history cleared", history >= HistoryLimit, CheckLevel.Fail,
            $"/root/.bash_history has {history} bytes.", "No root bash history.", history > 0 ? [$"/root/.bash_history ({history} bytes)"] : []);
    }

    /// <summary>Checks 9–11 (users) or 14–16 (root): authorized_keys, private keys, other files.</summary>
    private static IEnumerable<ValidationCheck> SshFolderChecks(List<(string User, string File, long Size)> files, int firstId, string who, string folder)
    {
        string Describe((string User, string File, long Size) f) => $"{f.User}: {f.File} ({f.Size} bytes)";
        bool IsPrivateKey(string file) => file.StartsWith("id_", StringComparison.Ordinal) && !file.EndsWith(".pub", StringComparison.Ordinal);

        var authorized = files.Where(f => f.File == "authorized_keys" && f.Size > SmallFile).Select(Describe).ToList();
        yield return Check(firstId, $"No {who} authorized_keys", authorized.Count > 0, CheckLevel.Fail,
            $"authorized_keys with keys in {folder}: {string.Join(", ", authorized)}. Remove them (DoCleanupImage does, last).",
            $"No authorized_keys with keys in {folder}.", authorized);

        var keys = files.Where(f => IsPrivateKey(f.File)).ToList();
        var level = keys.Any(k => k.Size > 0) ? CheckLevel.Fail : CheckLevel.Warn;
        yield return Check(firstId + 1, $"No {who} private keys", keys.Count > 0, level,
            $"Private key file(s) in {folder}: {string.Join(", ", keys.Select(Describe))}.", $"No private keys in {folder}.", keys.Select(Describe).ToList());

        var others = files.Where(f => f.File != "authorized_keys" && !IsPrivateKey(f.File) && (f.File != "known_hosts" || f.Size > SmallFile)).Select(
            Describe).ToList();
        yield return Check(firstId + 2, $"No other {who} .ssh files", others.Count > 0, CheckLevel.Warn,
            $"Other files in {folder}: {string.Join(", ", others)}.", $"Nothing else in {folder}.", others);
    }

    private static ValidationCheck Check(int id, string name, bool flawed, CheckLevel level, string flawMessage, string passMessage,
        IReadOnlyList<string> evidence) =>
        flawed
            ? new ValidationCheck(id, name, level, SecretRedactor.Redact(flawMessage), evidence)
            : new ValidationCheck(id, name, CheckLevel.Pass, passMessage, []);
}
