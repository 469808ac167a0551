using System.Globalization;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>collect-facts.sh, read by <see cref="ImageValidator"/> and evaluated by <see cref="ImageChecks"/>.</summary>
internal static class ValidationFacts
{
    public static FactScript Script { get; } = new(
        "collect-facts.sh",
        typeof(OsFact),
        typeof(CloudInitFact),
        typeof(TmpModeFact),
        typeof(AgentFolderFact),
        typeof(FirewallFact),
        typeof(SecurityUpdateFact),
        typeof(UpdatesCheckedFact),
        typeof(RotatedLogFact),
        typeof(LogFact),
        typeof(RootPasswordFact),
        typeof(RootSshFileFact),
        typeof(RootHistoryFact),
        typeof(UserFact),
        typeof(UserSshFileFact),
        typeof(UserHistoryFact));
}

/// <summary>/etc/os-release: NAME, VERSION_ID, ID, ID_LIKE.</summary>
[FactKind("os", Always = true)]
internal sealed record OsFact(string Name, string VersionId, string Id, string IdLike);

/// <summary>Where cloud-init is; empty when it is not installed.</summary>
[FactKind("cloudinit", Always = true)]
internal sealed record CloudInitFact(string Path);

/// <summary>The octal mode of /tmp.</summary>
[FactKind("tmp_mode", Always = true)]
internal sealed record TmpModeFact(string Mode);

/// <summary>Whether /opt/digitalocean is <c>present</c> or <c>absent</c>.</summary>
[FactKind("opt_digitalocean", Always = true)]
internal sealed record AgentFolderFact(string Presence);

/// <summary>
/// A firewall tool found: its own state (ufw, csf: <c>active</c>; firewalld: <c>running</c>), or for nftables and
/// iptables the number of rules; iptables adds the INPUT chain's policy.
/// </summary>
[FactKind("firewall")]
internal sealed record FirewallFact(string Tool, string State, string InputPolicy)
{
    /// <summary>The state read as a rule count (nftables, iptables); 0 when it is a word.</summary>
    public long RuleCount => long.TryParse(State, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}

/// <summary>A package with a pending security update.</summary>
[FactKind("security_update")]
internal sealed record SecurityUpdateFact(string Package);

/// <summary>
/// When updates were looked for, whether the package index was refreshed (ok, failed, skipped, or reused from the
/// build's own refresh), and whether the package manager listed the pending updates: <c>ok</c>, else why not (<c>failed:
/// …</c>, or no package manager) — without a listing, no <c>security_update</c> record means nothing.
/// </summary>
[FactKind("updates_checked", Always = true)]
internal sealed record UpdatesCheckedFact(string CheckedAt, string Refresh, string Listing);

/// <summary>An entry of /var/log DigitalOcean's scan counts as a log archive: <c>file</c>, <c>folder</c> or <c>compressed</c>.</summary>
[FactKind("rotated_log")]
internal sealed record RotatedLogFact(string Path, string Type);

/// <summary>A *.log file over 50 bytes.</summary>
[FactKind("log")]
internal sealed record LogFact(string Path, long Size);

/// <summary>root's password: <c>locked</c>, <c>empty</c> or <c>set</c> (never the hash).</summary>
[FactKind("root_password", Always = true)]
internal sealed record RootPasswordFact(string PasswordState);

/// <summary>A file in /root/.ssh.</summary>
[FactKind("root_ssh_file")]
internal sealed record RootSshFileFact(string Owner, string File, long Size);

/// <summary>The size of /root/.bash_history (0 when there is none).</summary>
[FactKind("root_history", Always = true)]
internal sealed record RootHistoryFact(long Size);

/// <summary>A user account (uid 1000 and up) and its password state: <c>locked</c>, <c>empty</c> or <c>set</c>.</summary>
[FactKind("user")]
internal sealed record UserFact(string Name, long Uid, string Home, string PasswordState);

/// <summary>A file in a user's ~/.ssh.</summary>
[FactKind("user_ssh_file")]
internal sealed record UserSshFileFact(string Owner, string File, long Size);

/// <summary>The size of a user's ~/.bash_history (0 when there is none).</summary>
[FactKind("user_history")]
internal sealed record UserHistoryFact(string Name, long Size);
