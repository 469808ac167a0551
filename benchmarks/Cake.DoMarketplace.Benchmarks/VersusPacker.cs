using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.LocalCloud;

/// <summary>
/// --versus-packer: the nginx example image built with the addin (its build.cake, as users run it) and with Packer 1.6.6
/// (benchmarks/packer/nginx-1-click.json, the same steps), interleaved A B A B against one local cloud. Each build is a
/// whole process, timed from start to exit, its memory the peak of the summed PSS of its process tree (Packer runs its
/// builder and provisioners as plugin processes, one binary mapped several times: PSS counts it once).
/// </summary>
internal sealed record Run(int Round, string Tool, Measured Measured, long Requests);

internal static class VersusPacker
{
    internal const string Token = "benchmark-token-000000000000000000";
    private const string Version = "0.1.0";
    public const string Addin = "addin";
    public const string Packer = "Packer 1.6.6";
    public const string EmptyCake = "empty Cake script";

    public static async Task RunAsync(int rounds, IReadOnlyList<int> atOnce, string command)
    {
        var root = FindRoot();
        var example = Path.Combine(root, "examples", "nginx-1-click");
        var feed = Path.Combine(root, "artifacts", "packages");
        var logs = Path.Combine(root, "artifacts", "versus-packer");
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, true);
        }

        Directory.CreateDirectory(logs);

        var emptyCake = Path.Combine(root, "benchmarks", "empty-cake");
        await PrepareAsync(root, logs, emptyCake);
        var data = Directory.CreateTempSubdirectory("cdm-versus-").FullName;
        var options = new LocalCloudOptions { DataDirectory = data, RequestsPerMinute = 100_000, RequestsPerHour = 1_000_000 };
        options.Tokens.Add(Token);
        var results = new List<Run>();
        var together = new List<ConcurrentBuilds.Result>();
        try
        {
            await using (var server = await LocalCloudServer.StartAsync(options))
            {
                var url = server.BaseUrl.AbsoluteUri;
                var env = new Dictionary<string, string> { ["DIGITALOCEAN_TOKEN"] = Token, ["DIGITALOCEAN_API_URL"] = url };
                var addin = ("dotnet", new[] { "cake", "build.cake", "--target=Snapshot", "--nuget_source=" + new Uri(feed + "/").AbsoluteUri }, example);
                var packer = ("packer", new[] { "build", "-color=false", "-var", "api_token=" + Token, "-var", "api_url=" + url, "benchmarks/packer/nginx-1-click.json" }, root);
                var empty = ("dotnet", new[] { "cake", "build.cake" }, emptyCake);
                for (var round = 1; round <= rounds; round++)
                {
                    foreach (var (tool, (file, arguments, folder)) in new[] { (Addin, addin), (Packer, packer), (EmptyCake, empty) })
                    {
                        var log = Path.Combine(logs, $"round{round}-{tool.Split(' ')[0].ToLowerInvariant()}.log");
                        var before = server.ApiRequests;
                        var measured = await ProcessMeter.RunAsync(file, arguments, folder, env, log, () => server.ApiRequests);
                        var requests = server.ApiRequests - before;
                        if (measured.Exit != 0)
                        {
                            throw new InvalidOperationException($"{tool} failed in round {round} (exit {measured.Exit}); see {log}:\n{string.Join('\n', File.ReadLines(log).TakeLast(25))}");
                        }

                        results.Add(new Run(round, tool, measured, requests));
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}/{rounds} {tool}: {measured.Seconds:0.0} s, first API request at {measured.FirstRequestSeconds:0.00} s, peak {measured.PeakMb:0} MB, {requests} API requests"));
                    }
                }

                foreach (var builds in atOnce)
                {
                    together.Add(await ConcurrentBuilds.RunAsync(builds, example, addin.Item2, env, logs, () => server.ApiRequests));
                }

                // Every build leaves no droplet; the snapshots go with the data folder, dropped from the API first all the same.
                using var api = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl });
                foreach (var image in await api.ListPrivateImagesAsync())
                {
                    await api.DeleteImageAsync(image.Id);
                }
            }
        }
        finally
        {
            Directory.Delete(data, true);
        }

        var markdown = VersusPackerReport.Write(results, together, rounds, command);
        Console.WriteLine();
        Console.WriteLine(markdown);
        await BenchmarksDoc.WriteSectionAsync(Path.Combine(root, "docs", "benchmarks.md"), markdown);
    }

    /// <summary>
    /// Packs the addin into artifacts/packages and clears what Cake cached of it in the example and in
    /// <paramref name="cakeFolders"/>, so each mode's first run installs and compiles as a user's first run does.
    /// </summary>
    internal static async Task PrepareAsync(string root, string logs, params string[] cakeFolders)
    {
        var example = Path.Combine(root, "examples", "nginx-1-click");
        var feed = Path.Combine(root, "artifacts", "packages");
        // Always: the package version does not change between commits, and a feed packed from an older tree would
        // measure that tree's addin.
        await MustAsync("dotnet", ["cake", "--target=Pack"], root, null, Path.Combine(logs, "pack.log"));

        // As the root build.cake's RunExample: the example's #tool line finds the tool where Cake looks, and Cake's cached
        // copy of the addin goes, so round 1 of the addin also pays for its install from the feed as a user's first run does.
        // Its compiled script goes too (Cake's script cache, on in the example's cake.config): round 1 compiles it, later
        // rounds reuse it, as a user's later runs do. The folders of other Cake scripts are treated the same way.
        var addins = Path.Combine(example, "tools", "Addins");
        foreach (var cached in (Directory.Exists(addins) ? Directory.GetDirectories(addins, "Cake.DoMarketplace*") : [])
                     .Append(Path.Combine(example, "tools", "cache")).Concat(cakeFolders.Select(f => Path.Combine(f, "tools"))).Where(Directory.Exists))
        {
            Directory.Delete(cached, true);
        }

        await ProcessMeter.RunAsync("dotnet", ["tool", "uninstall", "Cake.DoMarketplace.LocalCloud", "--tool-path", Path.Combine(example, "tools")], root, null, Path.Combine(logs, "tool.log"));
        await MustAsync("dotnet", ["tool", "install", "Cake.DoMarketplace.LocalCloud", "--version", Version, "--tool-path", Path.Combine(example, "tools"), "--add-source", feed], root, null, Path.Combine(logs, "tool.log"));
    }

    internal static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cake.DoMarketplace.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository (no Cake.DoMarketplace.sln above the current folder).");
    }

    internal static async Task MustAsync(string file, string[] arguments, string folder, Dictionary<string, string>? env, string log)
    {
        if ((await ProcessMeter.RunAsync(file, arguments, folder, env, log)).Exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed; see {log}");
        }
    }
}
