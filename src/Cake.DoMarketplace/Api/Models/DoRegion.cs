namespace Cake.DoMarketplace.Api.Models;

/// <summary>A datacenter region.</summary>
internal sealed class DoRegion
{
    /// <summary>The slug, for example <c>nyc3</c>.</summary>
    public string Slug { get; set; } = string.Empty;

    /// <summary>The display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Size slugs available in the region.</summary>
    public List<string> Sizes { get; set; } = [];

    /// <summary>Whether new resources can be created there.</summary>
    public bool Available { get; set; }

    /// <summary>Features of the region.</summary>
    public List<string> Features { get; set; } = [];
}
