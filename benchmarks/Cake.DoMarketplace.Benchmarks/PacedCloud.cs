using System.Globalization;
using System.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.LocalCloud;

/// <summary>
/// A local cloud the --at-pace rows run against, and how a row is measured on it: the wall time of its processes
/// started together, the API requests and 429s the cloud counted meanwhile, the snapshots it holds afterwards (counted
/// with a second token, so the count spends none of the builds' rate budget).
/// </summary>
internal sealed class PacedCloud(LocalCloudServer server, string limits, string logs) : IAsyncDisposable
{
    private const string ObserverToken = "benchmark-observer-000000000000000";
    private readonly DoApiClient observer = new(new DoApiOptions { Token = ObserverToken, BaseUrl = server.BaseUrl });

    public Dictionary<string, string> Environment { get; } =
        new() { ["DIGITALOCEAN_TOKEN"] = VersusPacker.Token, ["DIGITALOCEAN_API_URL"] = server.BaseUrl.AbsoluteUri };

    public string Url => server.BaseUrl.AbsoluteUri;

    public string Limits => limits;

    /// <summary>Starts a local cloud in a new data folder, with the builds' token and the observer's.</summary>
    public static async Task<PacedCloud> StartAsync(LocalCloudOptions options, string limits, string logs)
    {
        options.Tokens.Add(VersusPacker.Token);
        options.Tokens.Add(ObserverToken);
        return new PacedCloud(await LocalCloudServer.StartAsync(options), limits, logs);
    }

    /// <summary>Runs the processes together and measures them as one row.</summary>
    public async Task<PacedRun> MeasureAsync(int round, string @case, string tool, int builds,
        IReadOnlyList<(string File, string[] Arguments, string Folder)> processes)
    {
        var imagesBefore = (await observer.ListPrivateImagesAsync()).Count;
        var (requests, refused) = (server.ApiRequests, server.TooManyRequestsAnswered);
        var clock = Stopwatch.StartNew();
        var slug = new string($"round{round}-{@case}-{limits[..6]}-{tool}".ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        var runs = await Task.WhenAll(processes.Select((p, i) =>
            ProcessMeter.RunAsync(p.File, p.Arguments, p.Folder, Environment, Path.Combine(logs, $"{slug}-{i + 1}.log"))));
        var seconds = clock.Elapsed.TotalSeconds;
        var (requested, tooMany) = (server.ApiRequests - requests, server.TooManyRequestsAnswered - refused);
        var images = (await observer.ListPrivateImagesAsync()).Count - imagesBefore;
        await File.WriteAllLinesAsync(Path.Combine(logs, $"{slug}-requests.txt"), server.ApiRequestLog.Skip((int)requests).Take((int)requested));
        var run = new PacedRun(round, @case, limits, tool, builds, seconds, [.. runs.Select(r => r.Seconds)], [.. runs.Select(r => r.Exit)],
            requested, tooMany, images);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round} {@case}, {tool}: {seconds:0.0} s, {requested} API requests ({run.RequestsPerBuild:0.#} per build), {tooMany} answered 429, {images}/{builds} snapshots, exits {string.Join(",", run.Exits)} (logs: {logs}/{slug}-*.log)"));
        return run;
    }

    public async ValueTask DisposeAsync()
    {
        observer.Dispose();
        await server.DisposeAsync();
    }
}
