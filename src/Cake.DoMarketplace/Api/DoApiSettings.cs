namespace Cake.DoMarketplace.Api;

/// <summary>
/// How an alias reaches the DigitalOcean API. Everything is optional: the token comes from <c>DIGITALOCEAN_TOKEN</c>
/// (or <c>DIGITALOCEAN_ACCESS_TOKEN</c>) and the address from <c>DIGITALOCEAN_API_URL</c> when not set here.
/// </summary>
public class DoApiSettings
{
    /// <summary>The API token. Prefer the environment variable; a token in build.cake ends up in source control.</summary>
    public string? Token { get; set; }

    /// <summary>The API base address, for example the local cloud's <c>http://127.0.0.1:7117</c>.</summary>
    public Uri? ApiUrl { get; set; }
}
