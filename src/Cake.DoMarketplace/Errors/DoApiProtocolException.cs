namespace Cake.DoMarketplace.Api;

/// <summary>
/// The DigitalOcean API (or the service at <c>DIGITALOCEAN_API_URL</c>) answered with success but with a body the
/// client cannot use: a missing or null property, or more pages than any real listing has.
/// </summary>
public sealed class DoApiProtocolException : DoMarketplaceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The HTTP method of the request.</param>
    /// <param name="path">The path (and query) of the request.</param>
    /// <param name="message">What was wrong with the answer.</param>
    public DoApiProtocolException(string method, string path, string message)
        : base(message)
    {
        Method = method;
        Path = path;
    }

    /// <summary>The HTTP method of the request.</summary>
    public string Method { get; }

    /// <summary>The path (and query) of the request.</summary>
    public string Path { get; }
}
