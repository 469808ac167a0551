using Cake.DoMarketplace.Api.Models;

namespace Cake.DoMarketplace.Snapshots;

/// <summary>A DigitalOcean action ended <c>errored</c>.</summary>
public sealed class ActionErroredException(DoAction action, string what)
    : DoMarketplaceException($"DigitalOcean reported {what} as errored (action {action.Id}, type {action.Type}, started {action.StartedAt:u}).")
{
    /// <summary>The errored action.</summary>
    public DoAction Action { get; } = action;
}
