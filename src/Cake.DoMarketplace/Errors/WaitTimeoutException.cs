namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// A wait ran out of time. The message says what was awaited, for how long, and the last state seen.
/// </summary>
public sealed class WaitTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public WaitTimeoutException(string awaited, TimeSpan timeout, string? lastState, string? setting)
        : base($"Timed out after {Format(timeout)} waiting for {awaited}; last state seen: {lastState ?? "none"}." +
               (setting is null ? string.Empty : $" Raise {setting} if this step is legitimately slow."))
    {
        Awaited = awaited;
        Timeout = timeout;
        LastState = lastState;
    }

    /// <summary>What was awaited.</summary>
    public string Awaited { get; }

    /// <summary>How long the wait lasted.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The last state seen before giving up.</summary>
    public string? LastState { get; }

    internal static string Format(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0.0}s" : $"{(int)span.TotalMinutes}m{span.Seconds:00}s";
}
