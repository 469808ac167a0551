namespace Cake.DoMarketplace.Api.Models;

/// <summary>The body of a droplet or image action request.</summary>
internal sealed class DoActionRequest
{
    /// <summary>The action type: <c>shutdown</c>, <c>power_off</c>, <c>power_on</c>, <c>snapshot</c>, <c>transfer</c>.</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The snapshot name (snapshot actions).</summary>
    public string? Name { get; set; }

    /// <summary>The target region (transfer actions).</summary>
    public string? Region { get; set; }
}
