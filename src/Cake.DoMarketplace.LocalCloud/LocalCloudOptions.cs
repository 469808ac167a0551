using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>How the local cloud runs.</summary>
public sealed class LocalCloudOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Where images, droplet disks and state live.</summary>
    public string DataDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "cake-domarketplace-local-cloud");

    /// <summary>Bearer tokens the API accepts.</summary>
    public IList<string> Tokens { get; } = new List<string>();

    /// <summary>
    /// Tokens with custom scopes, as DigitalOcean issues them: token → scopes such as <c>droplet:create</c>. A scoped
    /// token is accepted (it need not be in <see cref="Tokens"/> too), and a request its scopes do not cover is answered
    /// 403 <c>forbidden</c>. A token without an entry has full access. <c>--token-scopes TOKEN=scope1,scope2</c> and
    /// <c>LOCAL_CLOUD_TOKEN_SCOPES</c> (entries separated by <c>;</c>) set them too.
    /// </summary>
    public IDictionary<string, IReadOnlyList<string>> TokenScopes { get; } = Api.TokenScopeSpec.FromEnvironment();

    /// <summary>
    /// <see cref="LocalCloudPace.Machine"/> (default): as fast as this machine. <see cref="LocalCloudPace.DigitalOcean"/>:
    /// droplets and actions take DigitalOcean's time at least, and the rate limits are DigitalOcean's (5,000 per hour, 250
    /// per minute, whatever <see cref="RequestsPerHour"/> and <see cref="RequestsPerMinute"/> say). <c>--pace digitalocean</c>.
    /// </summary>
    public LocalCloudPace Pace { get; set; }

    /// <summary>
    /// Under <see cref="LocalCloudPace.DigitalOcean"/>, every DigitalOcean time and rate-limit window is multiplied by this
    /// (default 1; 0.1 makes a 55-second boot 5.5 seconds and a minute's 250 requests due in 6 seconds). Above 0.
    /// <c>--pace-factor</c>.
    /// </summary>
    public double PaceFactor { get; set; } = 1;

    /// <summary>Requests per token per hour before 429 (DigitalOcean: 5,000).</summary>
    public int RequestsPerHour { get; set; } = 5000;

    /// <summary>Requests per token per minute before 429 (DigitalOcean: 250).</summary>
    public int RequestsPerMinute { get; set; } = 250;

    /// <summary>
    /// Where the distribution base images are cached, shared by every data folder so the base image is built once per
    /// machine. Defaults to <c>LOCAL_CLOUD_IMAGE_CACHE</c>, else <c>/var/cache/cake-domarketplace/images</c>.
    /// </summary>
    public string ImageCacheDirectory { get; set; } =
        Environment.GetEnvironmentVariable("LOCAL_CLOUD_IMAGE_CACHE") is { Length: > 0 } cache ? cache : "/var/cache/cake-domarketplace/images";

    /// <summary>Where the local cloud logs (console in the command); nothing when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock of rate-limit windows, of the pace and of a transfer; the system clock when null.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Marketplace app ids the Vendor API knows (each starts <c>approved</c>).</summary>
    public IList<string> VendorApps { get; } = new List<string> { "local-1-click-app" };

    /// <summary>How long a submitted update stays pending and in review before the app is approved again.</summary>
    public TimeSpan VendorReviewTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The IPv4 range droplets take their addresses from (a /30 each), checked at start against this machine's routes,
    /// addresses, DNS server and package mirror. Defaults to <c>LOCAL_CLOUD_ADDRESS_RANGE</c>, else <c>198.18.0.0/15</c>.
    /// </summary>
    public string AddressRange { get; set; } =
        Environment.GetEnvironmentVariable("LOCAL_CLOUD_ADDRESS_RANGE") is { Length: > 0 } range ? range : Network.AddressRange.Default;

    /// <summary>Faults to inject (all off by default); <c>LOCAL_CLOUD_FAULTS</c> sets them too.</summary>
    public FaultOptions Faults { get; set; } = FaultOptions.Parse(Environment.GetEnvironmentVariable("LOCAL_CLOUD_FAULTS"));
}
