namespace Cake.DoMarketplace.Api.Models;

/// <summary>A resource to tag.</summary>
/// <param name="ResourceId">The resource id (as a string).</param>
/// <param name="ResourceType"><c>droplet</c>, <c>image</c>, <c>volume</c>…</param>
internal sealed record DoTaggedResource(string ResourceId, string ResourceType);
