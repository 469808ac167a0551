using System.Net.Sockets;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Turns what the HTTP transport throws once the retries are spent into the addin's error contract: a
/// <see cref="DoApiTransportException"/> naming the request and whether its outcome is unknown.
/// </summary>
internal static class TransportFailure
{
    /// <summary>
    /// The exception to throw instead of <paramref name="e"/>, or null to let it through: the caller's own cancellation
    /// (an <see cref="OperationCanceledException"/> once <paramref name="callerToken"/> is cancelled), and errors that
    /// are not the transport's (the addin's own, programming errors).
    /// </summary>
    public static DoApiTransportException? Wrap(Exception e, string method, string path, TimeSpan requestTimeout, CancellationToken callerToken) => e switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        OperationCanceledException => new DoApiTransportException(method, path, requestTimeout, IsWrite(method), e),
        HttpRequestException http => new DoApiTransportException(method, path, timedOutAfter: null, IsWrite(method) && !NeverSent(http), e),
        IOException => new DoApiTransportException(method, path, timedOutAfter: null, IsWrite(method), e),
        _ => null,
    };

    private static bool IsWrite(string method) => method is not ("GET" or "HEAD");

    /// <summary>True when the request never left this machine: no address for the host, or no one listening.</summary>
    private static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.NameResolutionError
        || e.InnerException is SocketException
        {
            SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable,
        };
}
