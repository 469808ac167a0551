namespace Cake.DoMarketplace.Api.Models;

/// <summary>An SSH key registered on the account.</summary>
internal sealed class DoSshKey
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
