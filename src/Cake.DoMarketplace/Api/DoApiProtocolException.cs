namespace Cake.DoMarketplace.Api;

/// <summary>
/// The DigitalOcean API (or the service at <c>DIGITALOCEAN_API_URL</c>) answered with a body the client cannot use:
/// not JSON, JSON that does not parse, an object without a required field, an answer over
/// <see cref="DoApiClient.MaxAnswerBytes"/>, a next-page link to another host, or more pages than any real listing has.
/// </summary>
public sealed class DoApiProtocolException : DoMarketplaceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The HTTP method of the request.</param>
    /// <param name="path">The path (and query) of the request.</param>
    /// <param name="message">What was wrong with the answer.</param>
    public DoApiProtocolException(string method, string path, string message)
        : this(method, path, message, requestAccepted: false)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="method">The HTTP method of the request.</param>
    /// <param name="path">The path (and query) of the request.</param>
    /// <param name="message">What was wrong with the answer.</param>
    /// <param name="requestAccepted">Whether the answer had a success status; see <see cref="RequestAccepted"/>.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    public DoApiProtocolException(string method, string path, string message, bool requestAccepted, Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
        Path = path;
        RequestAccepted = requestAccepted;
    }

    /// <summary>The HTTP method of the request.</summary>
    public string Method { get; }

    /// <summary>The path (and query) of the request.</summary>
    public string Path { get; }

    /// <summary>
    /// True when the answer had a success status: the request was probably carried out, but what it made cannot be
    /// read from the answer. A write is then looked for before it is sent again, never blindly resent.
    /// </summary>
    public bool RequestAccepted { get; }
}
