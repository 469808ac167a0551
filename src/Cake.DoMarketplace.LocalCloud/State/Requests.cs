namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// A <c>POST /v2/droplets</c> as the API read it; the service checks it against the catalog and state.
/// <see cref="DropletAgent"/> is <c>with_droplet_agent</c> as sent: null when the request leaves it out.
/// </summary>
internal sealed record DropletCreateRequest(
    string? Name,
    string? Region,
    string? Size,
    string? Image,
    IReadOnlyList<string> SshKeys,
    IReadOnlyList<string> Tags,
    string? UserData,
    string? VpcUuid,
    bool Monitoring,
    bool Ipv6,
    bool Backups,
    bool? DropletAgent);

/// <summary>A droplet or image action: its <c>type</c>, and the snapshot's <c>name</c> or the transfer's <c>region</c>.</summary>
internal sealed record ActionRequest(string? Type, string? Name, string? Region);
