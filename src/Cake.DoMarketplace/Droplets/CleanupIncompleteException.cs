namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// A droplet, its temporary SSH key or a snapshot could not be deleted. The log lines before it say what is left and
/// the command that deletes it.
/// </summary>
/// <param name="resource">What could not be removed, for example <c>droplet 123</c>.</param>
/// <param name="message">What is left and where to read more.</param>
public sealed class CleanupIncompleteException(string resource, string message)
    : DoMarketplaceException(message)
{
    /// <summary>What could not be removed, for example <c>droplet 123</c>.</summary>
    public string Resource { get; } = resource;
}
