using Cake.DoMarketplace.LocalCloud;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// One real local cloud per test class: its own data folder and port, the machine's shared base image cache (built on
/// first use, about a minute). Needs root and debootstrap, like the local cloud itself; never skipped. A subclass may
/// set more options (<see cref="Configure"/>), such as scoped tokens.
/// </summary>
public class LocalCloudFixture : IAsyncLifetime
{
    public const string Token = "dop_v1_localcloudtests00000000000000000000000000000000000000000000";

    private LocalCloudServer? server;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cdm-cloud-").FullName;

    public Uri BaseUrl => server?.BaseUrl ?? throw new InvalidOperationException("The local cloud is not running.");

    /// <summary>Every API request this cloud received so far, "METHOD /path?query" in order of arrival.</summary>
    public IReadOnlyList<string> ApiRequestLog => server?.ApiRequestLog ?? throw new InvalidOperationException("The local cloud is not running.");

    public async Task InitializeAsync()
    {
        var options = new LocalCloudOptions { DataDirectory = DataDirectory, RequestsPerMinute = 5000 };
        options.Tokens.Add(Token);
        Configure(options);
        server = await LocalCloudServer.StartAsync(options);
    }

    /// <summary>Sets options beyond the full-access <see cref="Token"/> before the cloud starts.</summary>
    protected virtual void Configure(LocalCloudOptions options)
    {
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A Cake context whose environment points the addin at this cloud, with <paramref name="token"/> (the full-access one by default).</summary>
    public Cake.Core.ICakeContext Context(RecordingLog log, string? workingDirectory = null, string token = Token) =>
        TestCakeContext.Create(log, workingDirectory ?? DataDirectory, new Dictionary<string, string>
        {
            ["DIGITALOCEAN_TOKEN"] = token,
            ["DIGITALOCEAN_API_URL"] = BaseUrl.ToString(),
        });

    /// <summary>The nftables table of this cloud's network (its links carry the same name as their alias).</summary>
    public string NetworkTable => server?.NetworkTable ?? throw new InvalidOperationException("The local cloud is not running.");

    /// <summary>
    /// Processes, mounts, loop devices and network links of this cloud's droplets still there 5 s after the last one
    /// ended (the kernel detaches a loop device a moment after its mount namespace is gone): what a leak looks like.
    /// </summary>
    public IReadOnlyList<string> Leftovers()
    {
        List<string> found = [];
        for (var i = 0; i < 50; i++)
        {
            found = [.. SandboxLeaks.Find(DataDirectory), .. SandboxLeaks.Links(NetworkTable)];
            if (found.Count == 0)
            {
                break;
            }

            Thread.Sleep(100);
        }

        return found;
    }

    /// <summary>True when the address is in the local cloud's default droplet range.</summary>
    public static bool InDropletRange(string? address) =>
        address is not null
            && Cake.DoMarketplace.LocalCloud.Network.AddressRange.Parse(Cake.DoMarketplace.LocalCloud.Network.AddressRange.Default).Contains(
            System.Net.IPAddress.Parse(address));
}

/// <summary>Finds sandbox processes and mounts that belong to a data folder.</summary>
public static class SandboxLeaks
{
    /// <summary>Mounts, loop devices and processes of droplets under <paramref name="dataDirectory"/>; <paramref name="except"/>: a local cloud process
    /// itself.</summary>
    public static IReadOnlyList<string> Find(string dataDirectory, int? except = null)
    {
        var found = new List<string>();
        found.AddRange(File.ReadAllLines("/proc/mounts").Where(l => l.Contains(dataDirectory, StringComparison.Ordinal)).Select(l => "mount: " + l));
        foreach (var backing in Directory.GetDirectories("/sys/block", "loop*").Select(d => Path.Combine(d, "loop", "backing_file")).Where(File.Exists))
        {
            var file = File.ReadAllText(backing).Trim();
            if (file.StartsWith(dataDirectory, StringComparison.Ordinal))
            {
                found.Add($"loop device {backing.Split('/')[3]} on {file}");
            }
        }

        foreach (var proc in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out var pid) && pid != except))
        {
            try
            {
                var environment = File.ReadAllText(Path.Combine(proc, "environ"));
                var commandLine = File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ');
                if (environment.Contains(dataDirectory, StringComparison.Ordinal) || commandLine.Contains(dataDirectory, StringComparison.Ordinal))
                {
                    found.Add($"process {Path.GetFileName(proc)}: {commandLine}");
                }

                var root = new DirectoryInfo(Path.Combine(proc, "root")).LinkTarget;
                if (root is not null && root.StartsWith(dataDirectory, StringComparison.Ordinal))
                {
                    found.Add($"process {Path.GetFileName(proc)} chrooted in {root}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    /// <summary>
    /// Leftovers once the kernel has finished tearing down ended machines (a loop device is detached a moment after the
    /// last process of its mount namespace is gone): what remains after 5 s is a leak.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SettledAsync(string dataDirectory, int? except = null)
    {
        for (var i = 0; i < 50 && Find(dataDirectory, except).Count > 0; i++)
        {
            await Task.Delay(100);
        }

        return Find(dataDirectory, except);
    }

    /// <summary>The nftables table a local cloud's console output names as its own (not a stale one it removed).</summary>
    public static string TableIn(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, @"through .*; nftables table ip (cakedo_\d+_\d+)").Groups[1].Value;

    /// <summary>The host's <c>ip</c> nftables tables, as <c>nft list tables ip</c> prints them.</summary>
    public static async Task<string> NftTablesAsync() =>
        (await ProcessRunner.RunAsync("nft", ["list", "tables", "ip"], "/", TimeSpan.FromSeconds(30))).Output;

    /// <summary>Host-side droplet links a local cloud (named by its nftables table) still has.</summary>
    public static IReadOnlyList<string> Links(string table) =>
        Directory.GetDirectories("/sys/class/net")
            .Where(d => File.Exists(Path.Combine(d, "ifalias")) && File.ReadAllText(Path.Combine(d, "ifalias")).Trim() == table)
            .Select(d => $"network link {Path.GetFileName(d)} of {table}")
            .ToList();
}
