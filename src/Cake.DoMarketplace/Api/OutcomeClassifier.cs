using System.Net;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// The one answer to "did that request fail for good, or may it have happened?", shared by the retry pipelines (which
/// resend reads) and <see cref="Resender"/> (which checks before resending writes).
/// </summary>
internal static class OutcomeClassifier
{
    /// <summary>
    /// True when a request's outcome is unknown: the connection broke, the client timed out (not the caller's
    /// cancellation), or the server failed (5xx) — the request may or may not have been carried out.
    /// </summary>
    /// <remarks>
    /// Inside the retry pipeline the transport's own exceptions are seen; outside it, the client's
    /// <see cref="DoApiTransportException"/>. A write is looked for before it is sent again even when it never left
    /// this machine (a refused connection): the look-up finds nothing and it is sent again.
    /// </remarks>
    public static bool IsUnknownOutcome(Exception e, CancellationToken callerToken) => e switch
    {
        DoApiTransportException => true,
        HttpRequestException => true,
        TaskCanceledException => !callerToken.IsCancellationRequested,
        DoApiException api => (int)api.StatusCode >= 500,
        _ => false,
    };

    /// <summary>
    /// True when a write may have been carried out although its caller cannot use the answer: an unknown outcome, or
    /// a success whose body is unusable (<see cref="DoApiProtocolException.RequestAccepted"/>). The write is looked for
    /// before it is sent again. Reads are not retried on an unusable success: the server would answer the same.
    /// </summary>
    public static bool MayHaveHappened(Exception e, CancellationToken callerToken) =>
        IsUnknownOutcome(e, callerToken) || e is DoApiProtocolException { RequestAccepted: true };

    /// <summary>True for an answer worth waiting out and asking again: 429, or a 5xx when <paramref name="serverErrors"/>.</summary>
    public static bool IsTransient(HttpStatusCode status, bool serverErrors) =>
        status == HttpStatusCode.TooManyRequests || (serverErrors && (int)status >= 500);
}
