namespace Cake.DoMarketplace.Api.Models;

/// <summary>A datacenter region.</summary>
public sealed class DoRegion
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

/// <summary>A droplet size.</summary>
public sealed class DoSize
{
    /// <summary>The slug, for example <c>s-1vcpu-512mb-10gb</c>.</summary>
    public string Slug { get; set; } = string.Empty;

    /// <summary>Memory in MiB.</summary>
    public int Memory { get; set; }

    /// <summary>Virtual CPUs.</summary>
    public int Vcpus { get; set; }

    /// <summary>Disk in GB.</summary>
    public int Disk { get; set; }

    /// <summary>Monthly price in USD.</summary>
    public decimal PriceMonthly { get; set; }

    /// <summary>Hourly price in USD.</summary>
    public decimal PriceHourly { get; set; }

    /// <summary>Regions where the size can be created.</summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>Whether the size can be created at all.</summary>
    public bool Available { get; set; }

    /// <summary>Description, for example <c>Basic</c>.</summary>
    public string? Description { get; set; }
}

/// <summary>An SSH key registered on the account.</summary>
public sealed class DoSshKey
{
    /// <summary>Key id.</summary>
    public long Id { get; set; }

    /// <summary>MD5 fingerprint (colon separated hex).</summary>
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>The OpenSSH public key line.</summary>
    public string PublicKey { get; set; } = string.Empty;

    /// <summary>Key name.</summary>
    public string Name { get; set; } = string.Empty;
}

/// <summary>A resource to tag.</summary>
/// <param name="ResourceId">The resource id (as a string).</param>
/// <param name="ResourceType"><c>droplet</c>, <c>image</c>, <c>volume</c>…</param>
public sealed record DoTaggedResource(string ResourceId, string ResourceType);
