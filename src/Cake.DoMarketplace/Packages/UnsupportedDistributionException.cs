namespace Cake.DoMarketplace.Packages;

/// <summary>The droplet runs a distribution whose package manager the addin does not know (apt, dnf and yum are supported).</summary>
/// <param name="label">The machine, as named in the log.</param>
/// <param name="distribution">The distribution read from <c>/etc/os-release</c>.</param>
public sealed class UnsupportedDistributionException(string label, string distribution)
    : DoMarketplaceException($"{label} runs {distribution}, whose package manager this addin does not know (apt, dnf and yum are supported).")
{
    /// <summary>The distribution read from <c>/etc/os-release</c>.</summary>
    public string Distribution { get; } = distribution;
}
