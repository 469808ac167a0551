namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// How a remote command runs. Its standard input is always closed (end-of-file at once, as with <c>ssh -n</c> and in
/// Packer): a command, or a login file such as <c>/root/.bashrc</c>, that reads input gets none instead of waiting forever.
/// </summary>
public sealed class RemoteCommandSettings
{
    /// <summary>Return a non-zero exit status instead of failing.</summary>
    public bool AllowNonZeroExit { get; set; }

    /// <summary>Upper bound of the command's run time; null waits as long as it takes.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// How long the command may print nothing before the log says so ("no output for 60 s: … may be waiting for input"),
    /// again each time as long passes in silence, with the time it has run. Default 60 s; null says nothing.
    /// </summary>
    public TimeSpan? NoOutputNotice { get; set; } = TimeSpan.FromSeconds(60);

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

    /// <summary>What the command is, for progress and error messages (<c>collect-facts.sh</c>); null shows its first line.</summary>
    internal string? Description { get; init; }

    /// <summary>A copy of these settings that names the command <paramref name="description"/> (a script's file name).</summary>
    internal RemoteCommandSettings Describe(string description) => new()
    {
        AllowNonZeroExit = AllowNonZeroExit,
        Timeout = Timeout,
        NoOutputNotice = NoOutputNotice,
        LogOutput = LogOutput,
        IsRoutineOutput = IsRoutineOutput,
        ExpectReboot = ExpectReboot,
        TimeoutSetting = TimeoutSetting,
        Description = description,
    };
}
