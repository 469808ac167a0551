namespace Cake.DoMarketplace;

/// <summary>
/// The base of every error the addin raises on purpose: catch it to handle any failure of a DigitalOcean Marketplace
/// build step (a bad setting, an API error, a timeout, a failed remote command, a failed check). Messages never contain
/// the API token or a private key. Programming errors (a null argument) stay <see cref="ArgumentException"/>s.
/// </summary>
public abstract class DoMarketplaceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and, where the addin knows, how to fix it.</param>
    /// <param name="innerException">The error that caused this one, if any.</param>
    protected DoMarketplaceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
