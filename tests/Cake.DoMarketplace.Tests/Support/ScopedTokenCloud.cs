using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.LocalCloud;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>A local cloud that also accepts tokens with custom scopes: the README's list, and that list less one scope.</summary>
public sealed class ScopedTokenCloud : LocalCloudFixture
{
    /// <summary>Exactly the scopes the README lists for a build.</summary>
    public const string Documented = "dop_v1_scopes_documented_0000000000000000000000000000000000000000";

    /// <summary>The README's scopes but <c>sizes:read</c>.</summary>
    public const string WithoutSizesRead = "dop_v1_scopes_no_sizes_read_00000000000000000000000000000000000000";

    /// <summary>The README's scopes but <c>droplet:create</c>.</summary>
    public const string WithoutDropletCreate = "dop_v1_scopes_no_droplet_create_0000000000000000000000000000000000";

    /// <summary>The README's scopes but <c>droplet:update</c> (shutdown, power-off, snapshot).</summary>
    public const string WithoutDropletUpdate = "dop_v1_scopes_no_droplet_update_0000000000000000000000000000000000";

    /// <summary>The scopes a build needs, as the README lists them (a fast test keeps the two equal).</summary>
    public static IReadOnlyList<string> BuildScopes { get; } = DoApiScopes.Build.Select(b => b.Scope).ToList();

    protected override void Configure(LocalCloudOptions options)
    {
        options.TokenScopes[Documented] = BuildScopes;
        options.TokenScopes[WithoutSizesRead] = BuildScopes.Where(s => s != "sizes:read").ToList();
        options.TokenScopes[WithoutDropletCreate] = BuildScopes.Where(s => s != "droplet:create").ToList();
        options.TokenScopes[WithoutDropletUpdate] = BuildScopes.Where(s => s != "droplet:update").ToList();
    }
}
