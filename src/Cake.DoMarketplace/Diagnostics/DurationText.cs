namespace Cake.DoMarketplace.Diagnostics;

/// <summary>The one way the addin writes a duration in messages and the log: <c>4.2s</c> under a minute, <c>3m07s</c> above.</summary>
internal static class DurationText
{
    /// <summary>The duration as the log and messages show it.</summary>
    public static string Of(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0.0}s" : $"{(int)span.TotalMinutes}m{span.Seconds:00}s";
}
