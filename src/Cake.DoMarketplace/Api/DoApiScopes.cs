namespace Cake.DoMarketplace.Api;

/// <summary>
/// The custom scopes of DigitalOcean tokens, as the client needs them: the scope of each call (DigitalOcean's API
/// reference, "Required scopes" per endpoint), the scopes a whole build needs and why (the README's "Token scopes"
/// table), and a read-only request per read scope to probe it.
/// </summary>
internal static class DoApiScopes
{
    /// <summary>What a droplet create needs besides <c>droplet:create</c> (DigitalOcean's associated scopes of it).</summary>
    private const string DropletCreateAlso = "Creating a droplet with tags also needs tag:create, and with SSH keys ssh_key:read.";

    /// <summary>Every call of <see cref="DoApiClient"/> but the Vendor API's, whose scope DigitalOcean does not document.</summary>
    public static IReadOnlyList<ScopedCall> Calls { get; } =
    [
        new("POST", "v2/account/keys", "ssh_key:create"),
        new("GET", "v2/account/keys", "ssh_key:read"),
        new("DELETE", "v2/account/keys/{id}", "ssh_key:delete"),
        new("POST", "v2/droplets", "droplet:create", DropletCreateAlso),
        new("GET", "v2/droplets", "droplet:read"),
        new("GET", "v2/droplets/{id}", "droplet:read"),
        new("DELETE", "v2/droplets/{id}", "droplet:delete"),
        new("POST", "v2/droplets/{id}/actions", "droplet:update"),
        new("GET", "v2/droplets/{id}/actions/{action}", "droplet:read"),
        new("GET", "v2/droplets/{id}/snapshots", "droplet:read"),
        new("GET", "v2/actions", "actions:read"),
        new("GET", "v2/actions/{id}", "actions:read"),
        new("GET", "v2/snapshots", "image:read"),
        new("GET", "v2/images", "image:read"),
        new("GET", "v2/images/{id}", "image:read"),
        new("DELETE", "v2/images/{id}", "image:delete"),
        new("POST", "v2/images/{id}/actions", "image:create"),
        new("GET", "v2/images/{id}/actions/{action}", "image:read"),
        new("GET", "v2/regions", "regions:read"),
        new("GET", "v2/sizes", "sizes:read"),
        new("POST", "v2/tags", "tag:create"),
        new("POST", "v2/tags/{tag}/resources", "tag:create"),
        new("DELETE", "v2/tags/{tag}/resources", "tag:delete"),
    ];

    /// <summary>The scopes a <c>DoBuildImage</c> with every step needs, and what for: the README's list.</summary>
    public static IReadOnlyList<(string Scope, string Why)> Build { get; } =
    [
        ("regions:read", "say why a region takes no droplet; check the snapshot's transfer regions"),
        ("sizes:read", "check or pick the droplet size"),
        ("image:read", "check the base image; follow image transfers; find unfinished snapshots (CleanupOrphans)"),
        ("droplet:read",
            "wait for the droplet to be active and off; follow its actions (power-off, snapshot); find a droplet whose create answer was lost; find the "
            + "snapshot"),
        ("ssh_key:read", "create a droplet with SSH keys; find a key whose registration answer was lost"),
        ("ssh_key:create", "register the build's temporary SSH key"),
        ("ssh_key:delete", "delete that key when the droplet is gone"),
        ("droplet:create", "create the build droplet and the image test's droplet"),
        ("droplet:update", "shut down, power off and snapshot the build droplet"),
        ("droplet:delete", "destroy the droplets"),
        ("image:create", "transfer the image to other regions (SnapshotSettings.TransferRegions only)"),
        ("image:delete", "delete the snapshot of a build that fails later, and orphans"),
        ("tag:create", "tag droplets at creation, the image while the build runs, a kept droplet"),
        ("tag:delete", "untag the finished image"),
    ];

    /// <summary>
    /// The read scopes a build needs, each with a one-item request that needs it and nothing else: probing them costs
    /// nothing and creates nothing. Create, update and delete scopes cannot be probed without their side effects.
    /// </summary>
    public static IReadOnlyList<(string Scope, string Probe)> ReadProbes { get; } =
    [
        ("regions:read", "v2/regions?per_page=1"),
        ("sizes:read", "v2/sizes?per_page=1"),
        ("image:read", "v2/images?private=true&per_page=1"),
        ("droplet:read", "v2/droplets?per_page=1"),
        ("ssh_key:read", "v2/account/keys?per_page=1"),
    ];

    /// <summary>The read scopes a build needs (all of <see cref="ReadProbes"/>), in the README's order.</summary>
    public static IReadOnlyList<string> BuildReadScopes { get; } = ReadProbes.Select(p => p.Scope).ToList();

    /// <summary>
    /// The read scopes a launch checks before anything is created: the sizes, the base image, the droplet's state.
    /// <c>regions:read</c> is not needed (each size lists its regions). <c>ssh_key:read</c> is not probed: DigitalOcean
    /// grants a resource's read scope with its create scope, so a token without it lacks <c>ssh_key:create</c> too and
    /// the key registration, the first thing created, is refused — nothing exists yet. <c>droplet:read</c> is probed:
    /// without it the droplet create would be refused only after the key exists.
    /// </summary>
    public static IReadOnlyList<string> LaunchReadScopes { get; } = ["sizes:read", "image:read", "droplet:read"];

    /// <summary>The one-item read-only request that probes <paramref name="readScope"/>.</summary>
    public static string ProbeFor(string readScope) =>
        ReadProbes.FirstOrDefault(p => p.Scope == readScope).Probe ?? throw new ArgumentException($"No probe for the scope '{readScope}'.", nameof(readScope));

    /// <summary>The build's scopes as one line, for messages.</summary>
    public static string BuildList => string.Join(", ", Build.Select(b => b.Scope));

    /// <summary>The call a request was, by method and path (query and a leading slash ignored); null when unknown.</summary>
    public static ScopedCall? Find(string method, string path) => Calls.FirstOrDefault(c => c.Matches(method, path));
}
