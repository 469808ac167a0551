namespace Cake.DoMarketplace.Api.Models;

/// <summary>A droplet size.</summary>
internal sealed class DoSize
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
