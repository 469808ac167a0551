using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>image-test-facts.sh, read by <see cref="ImageTester"/> and evaluated by <see cref="ImageTestChecks"/>.</summary>
internal static class ImageTestFacts
{
    public static FactScript Script { get; } = new(
        "image-test-facts.sh",
        typeof(OsNameFact),
        typeof(InstanceFact),
        typeof(CloudInitStatusFact),
        typeof(CloudInitErrorsFact),
        typeof(InstalledScriptFact),
        typeof(SemaphoreFact),
        typeof(MotdShownFact),
        typeof(LoginHookFact),
        typeof(AuthorizedKeyFact));
}

/// <summary>The operating system as /etc/os-release names it for people (PRETTY_NAME; empty when it has none).</summary>
[FactKind("os", Always = true)]
internal sealed record OsNameFact(string PrettyName);

/// <summary>cloud-init's instance id and when it was recorded (Unix seconds; 0 when there is none).</summary>
[FactKind("instance", Always = true)]
internal sealed record InstanceFact(string Id, long StartedAt);

/// <summary><c>cloud-init status</c>: <c>done</c>, <c>running</c>, <c>error</c>, ….</summary>
[FactKind("status", Always = true)]
internal sealed record CloudInitStatusFact(string Status);

/// <summary>How many errors cloud-init's result.json lists; -1 when it cannot be read (cloud-init has not finished).</summary>
[FactKind("errors", Always = true)]
internal sealed record CloudInitErrorsFact(long Count);

/// <summary>A script in /var/lib/cloud/scripts/STAGE.</summary>
[FactKind("script")]
internal sealed record InstalledScriptFact(string Stage, string Path);

/// <summary>When cloud-init last ran a stage's scripts (its semaphore's time, Unix seconds; 0 when never). One per stage.</summary>
[FactKind("sem", Always = true)]
internal sealed record SemaphoreFact(string Stage, long RanAt);

/// <summary>A 99-* MOTD script and the first non-blank line it prints.</summary>
[FactKind("motd")]
internal sealed record MotdShownFact(string Path, string FirstLine);

/// <summary>A first-login script /root/.bashrc still runs.</summary>
[FactKind("hook")]
internal sealed record LoginHookFact(string Path);

/// <summary>A key line of /root/.ssh/authorized_keys.</summary>
[FactKind("authorized_key")]
internal sealed record AuthorizedKeyFact(string Line);
