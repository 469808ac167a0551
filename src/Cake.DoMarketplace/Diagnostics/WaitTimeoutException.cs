namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// A wait ran out of time. The message says what was awaited, for how long, the last state seen and, when there is
/// one, the setting to raise.
/// </summary>
public sealed class WaitTimeoutException : DoMarketplaceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="awaited">What was awaited.</param>
    /// <param name="timeout">How long the wait lasted.</param>
    /// <param name="lastState">The last state seen, if any.</param>
    /// <param name="setting">The setting that bounds the wait, such as <c>BuildDropletSettings.SshTimeout</c>; null when none can raise it.</param>
    /// <param name="innerException">The error that caused this one, if any.</param>
    public WaitTimeoutException(string awaited, TimeSpan timeout, string? lastState, string? setting, Exception? innerException = null)
        : base($"Timed out after {DurationText.Of(timeout)} waiting for {awaited}; last state seen: {lastState ?? "none"}." +
               (string.IsNullOrEmpty(setting) ? string.Empty : $" Raise {setting} if this step is legitimately slow."), innerException)
    {
        Awaited = awaited;
        Timeout = timeout;
        LastState = lastState;
        Setting = string.IsNullOrEmpty(setting) ? null : setting;
    }

    /// <summary>What was awaited.</summary>
    public string Awaited { get; }

    /// <summary>How long the wait lasted.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The last state seen before giving up.</summary>
    public string? LastState { get; }

    /// <summary>The setting that bounds this wait (named in the message), or null when no setting can raise it.</summary>
    public string? Setting { get; }
}
