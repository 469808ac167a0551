namespace Cake.DoMarketplace.Api;

/// <summary>
/// A request to the DigitalOcean API got no answer, after the client's retries: the connection could not be made or
/// broke, or no answer came within the request timeout. Names the request (never the token) and keeps the transport's
/// error as <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class DoApiTransportException : DoMarketplaceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The HTTP method of the request.</param>
    /// <param name="path">The path (and query) of the request.</param>
    /// <param name="timedOutAfter">The request timeout when no answer came within it; null when the connection failed or broke.</param>
    /// <param name="outcomeUnknown">Whether the request may have been carried out; see <see cref="OutcomeUnknown"/>.</param>
    /// <param name="innerException">The transport's error.</param>
    public DoApiTransportException(string method, string path, TimeSpan? timedOutAfter, bool outcomeUnknown, Exception innerException)
        : base(Describe(method, path, timedOutAfter, outcomeUnknown, innerException), innerException)
    {
        Method = method;
        Path = path;
        TimedOut = timedOutAfter is not null;
        OutcomeUnknown = outcomeUnknown;
    }

    /// <summary>The HTTP method of the request.</summary>
    public string Method { get; }

    /// <summary>The path (and query) of the request.</summary>
    public string Path { get; }

    /// <summary>True when no answer came within the request timeout; false when the connection failed or broke.</summary>
    public bool TimedOut { get; }

    /// <summary>
    /// True for a write (not GET or HEAD) whose answer was lost after it may have reached the API: it may or may not have
    /// been carried out, so look before sending it again. False for reads and for requests that never left this machine.
    /// </summary>
    public bool OutcomeUnknown { get; }

    private static string Describe(string method, string path, TimeSpan? timedOutAfter, bool outcomeUnknown, Exception inner)
    {
        var what = timedOutAfter is { } timeout
            ? $"none came within {Diagnostics.DurationText.Of(timeout)} ({nameof(DoApiOptions)}.{nameof(DoApiOptions.RequestTimeout)})"
            : $"the connection failed ({Diagnostics.SecretRedactor.Redact(inner.Message)})";
        var outcome = outcomeUnknown
            ? " Its outcome is unknown: the API may have carried it out."
            : string.Empty;
        return $"DigitalOcean API {method} {path} got no answer: {what}.{outcome} Check this machine's network and try again.";
    }
}
