namespace Cake.DoMarketplace.Api;

/// <summary>
/// How to reach the DigitalOcean API: token, base address and retry behaviour.
/// </summary>
internal sealed class DoApiOptions
{
    /// <summary>The public API address.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.digitalocean.com/");

    /// <summary>The API token. Resolved from the environment by <see cref="DoApiCredentials"/> when null.</summary>
    public string? Token { get; set; }

    /// <summary>The API base address; <see cref="DefaultBaseUrl"/> unless overridden (for example by the local cloud).</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Timeout of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times a safe request is retried after 429, 5xx or a connection error.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryWaitMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan RetryWaitMax { get; set; } = TimeSpan.FromSeconds(30);
}
