namespace Cake.DoMarketplace.Ssh;

/// <summary>How a remote command runs.</summary>
public sealed class RemoteCommandSettings
{
    /// <summary>Return a non-zero exit status instead of failing.</summary>
    public bool AllowNonZeroExit { get; set; }

    /// <summary>Upper bound of the command's run time; null waits as long as it takes.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Stream output lines into the Cake log (default). Output is captured either way.</summary>
    public bool LogOutput { get; set; } = true;

    /// <summary>
    /// Output lines (either stream) for which this returns true go to the verbose log only (a package manager's progress,
    /// for example); the others are shown. Output is captured either way, and a failure's message ends with its last lines.
    /// </summary>
    internal Func<string, bool>? IsRoutineOutput { get; init; }

    /// <summary>The command reboots the machine: a dropped connection is expected, and the session reconnects after it.</summary>
    public bool ExpectReboot { get; set; }

    /// <summary>
    /// The setting the timeout message tells the user to raise, when <see cref="Timeout"/> comes from one of the addin's
    /// own settings (<c>PackageSettings.Timeout</c>, <c>CleanupSettings.Timeout</c>, …); null names
    /// <c>RemoteCommandSettings.Timeout</c>, empty names none (a fixed internal limit).
    /// </summary>
    internal string? TimeoutSetting { get; init; }
}
