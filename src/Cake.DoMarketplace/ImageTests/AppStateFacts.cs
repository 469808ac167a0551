using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>app-state.sh, run by <see cref="AppTester"/>; <see cref="AppChecks"/> reads its records.</summary>
internal static class AppStateFacts
{
    public static FactScript Script { get; } = new(
        "app-state.sh",
        typeof(SystemFact),
        typeof(FailedUnitFact),
        typeof(UnitFact),
        typeof(JournalFact),
        typeof(ListenFact),
        typeof(TemporaryListenerFact),
        typeof(StoppedListenerFact));
}

/// <summary><c>systemctl is-system-running</c>, or <c>no-systemd</c>.</summary>
[FactKind("system")]
internal sealed record SystemFact(string State);

/// <summary>A line of <c>systemctl --failed</c>.</summary>
[FactKind("failed")]
internal sealed record FailedUnitFact(string Line);

/// <summary>A unit's <c>is-active</c> and <c>is-enabled</c> (<c>not-found</c> when it does not exist).</summary>
[FactKind("unit")]
internal sealed record UnitFact(string Name, string Active, string Enabled);

/// <summary>One of a unit's last journal lines.</summary>
[FactKind("journal")]
internal sealed record JournalFact(string Unit, string Line);

/// <summary>A listening TCP socket: ADDRESS:PORT, and the <c>ss</c> line (or what stood in for it).</summary>
[FactKind("listen")]
internal sealed record ListenFact(string LocalAddress, string Line);

/// <summary>A temporary listener: <c>started</c> (detail: how, and its pid) or <c>failed</c> (detail: why).</summary>
[FactKind("listener")]
internal sealed record TemporaryListenerFact(string Outcome, string Detail, long Pid);

/// <summary>A temporary listener stopped.</summary>
[FactKind("stopped")]
internal sealed record StoppedListenerFact(long Pid);
