namespace Cake.DoMarketplace.ImageRules;

/// <summary>first-boot-facts.sh, read by <see cref="ReadinessChecker"/> and evaluated by <see cref="ReadinessChecks"/>.</summary>
internal static class FirstBootFacts
{
    public static FactScript Script { get; } = new(
        "first-boot-facts.sh",
        typeof(BootScriptFact),
        typeof(PerOnceRecordFact),
        typeof(MotdScriptFact),
        typeof(FirstLoginFact));
}

/// <summary>
/// A script cloud-init runs from /var/lib/cloud/scripts/STAGE: executable (<c>x</c> or <c>-</c>), its first two bytes,
/// how many lines end in CRLF.
/// </summary>
[FactKind("script")]
internal sealed record BootScriptFact(string Stage, string Path, string Executable, string Head, long CrlfLines);

/// <summary>cloud-init's record that the per-once scripts already ran.</summary>
[FactKind("per_once_record")]
internal sealed record PerOnceRecordFact(string Path);

/// <summary>A script of /etc/update-motd.d: executable (<c>x</c> or <c>-</c>).</summary>
[FactKind("motd")]
internal sealed record MotdScriptFact(string Path, string Executable);

/// <summary>
/// A first-login script /root/.bashrc runs: <c>present</c> or <c>missing</c>, executable (<c>x</c> or <c>-</c>), its
/// last non-blank line, and whether the .bashrc line runs it in interactive shells only (<c>guarded</c>) or in every
/// bash (<c>bare</c>).
/// </summary>
[FactKind("first_login")]
internal sealed record FirstLoginFact(string Path, string Presence, string Executable, string LastLine, string Guard);
