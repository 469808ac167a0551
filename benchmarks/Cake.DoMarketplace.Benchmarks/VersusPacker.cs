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
internal static class VersusPacker
{
    private const string Token = "benchmark-token-000000000000000000";
    private const string Version = "0.1.0";

    public static async Task RunAsync(int rounds, string command)
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
        if (!File.Exists(Path.Combine(feed, $"Cake.DoMarketplace.{Version}.nupkg")))
        {
            await MustAsync("dotnet", ["cake", "--target=Pack"], root, null, Path.Combine(logs, "pack.log"));
        }

        // As the root build.cake's RunExample: the example's #tool line finds the tool where Cake looks, and Cake's cached
        // copy of the addin goes, so round 1 of the addin also pays for its install from the feed as a user's first run does.
        var addins = Path.Combine(example, "tools", "Addins");
        foreach (var cached in Directory.Exists(addins) ? Directory.GetDirectories(addins, "Cake.DoMarketplace*") : [])
        {
            Directory.Delete(cached, true);
        }

        await RunAsync("dotnet", ["tool", "uninstall", "Cake.DoMarketplace.LocalCloud", "--tool-path", Path.Combine(example, "tools")], root, null, Path.Combine(logs, "tool.log"));
        await MustAsync("dotnet", ["tool", "install", "Cake.DoMarketplace.LocalCloud", "--version", Version, "--tool-path", Path.Combine(example, "tools"), "--add-source", feed], root, null, Path.Combine(logs, "tool.log"));

        var data = Directory.CreateTempSubdirectory("cdm-versus-").FullName;
        var options = new LocalCloudOptions { DataDirectory = data, RequestsPerMinute = 100_000, RequestsPerHour = 1_000_000 };
        options.Tokens.Add(Token);
        var results = new List<(int Round, string Tool, double Seconds, double PeakMb, long Requests)>();
        await using (var server = await LocalCloudServer.StartAsync(options))
        {
            var url = server.BaseUrl.AbsoluteUri;
            var env = new Dictionary<string, string> { ["DIGITALOCEAN_TOKEN"] = Token, ["DIGITALOCEAN_API_URL"] = url };
            var addin = ("dotnet", new[] { "cake", "build.cake", "--target=Snapshot", "--nuget_source=" + new Uri(feed + "/").AbsoluteUri }, example);
            var packer = ("packer", new[] { "build", "-color=false", "-var", "api_token=" + Token, "-var", "api_url=" + url, "benchmarks/packer/nginx-1-click.json" }, root);
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (tool, (file, arguments, folder)) in new[] { ("addin", addin), ("Packer 1.6.6", packer) })
                {
                    var log = Path.Combine(logs, $"round{round}-{(tool == "addin" ? "addin" : "packer")}.log");
                    var before = server.ApiRequests;
                    var (exit, seconds, peakMb) = await RunAsync(file, arguments, folder, env, log);
                    var requests = server.ApiRequests - before;
                    if (exit != 0)
                    {
                        throw new InvalidOperationException($"{tool} failed in round {round} (exit {exit}); see {log}:\n{string.Join('\n', File.ReadLines(log).TakeLast(25))}");
                    }

                    results.Add((round, tool, seconds, peakMb, requests));
                    Console.WriteLine($"round {round}/{rounds} {tool}: {seconds:0.0} s, peak {peakMb:0} MB, {requests} API requests");
                }
            }

            // Both leave no droplet; the snapshots go with the data folder, dropped from the API first all the same.
            using var api = new DoApiClient(new DoApiOptions { Token = Token, BaseUrl = server.BaseUrl });
            foreach (var image in await api.ListPrivateImagesAsync())
            {
                await api.DeleteImageAsync(image.Id);
            }
        }

        Directory.Delete(data, true);
        var markdown = Table(results, rounds, command);
        Console.WriteLine();
        Console.WriteLine(markdown);
        await BenchmarksDoc.WriteSectionAsync(Path.Combine(root, "docs", "benchmarks.md"), markdown);
    }

    private static string Table(List<(int Round, string Tool, double Seconds, double PeakMb, long Requests)> results, int rounds, string command)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        var c = CultureInfo.InvariantCulture;
        Line("# Benchmarks");
        Line(string.Empty);
        Line("## The nginx example image: the addin versus Packer 1.6.6");
        Line(string.Empty);
        Line(string.Create(c, $"examples/nginx-1-click built {rounds} times each way, interleaved (addin, Packer, addin, …), against one local cloud on this host ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}). Addin: `dotnet cake build.cake --target=Snapshot` in the example's folder with DIGITALOCEAN_TOKEN and DIGITALOCEAN_API_URL set (build, validation, cleanup, snapshot). Packer: `packer build benchmarks/packer/nginx-1-click.json` (the same steps, DigitalOcean's marketplace-partners cleanup, no validation). Wall time is the whole process; memory is the peak of the summed PSS (proportional set size: shared pages counted once) of the process tree, sampled every 50 ms."));
        Line(string.Empty);
        Line($"Command: `{command}`");
        Line(string.Empty);
        Line($"| figure (median of {rounds}) | addin | Packer 1.6.6 | ratio (addin / Packer) |");
        Line("|---|---|---|---|");
        var a = results.Where(r => r.Tool == "addin").ToList();
        var b = results.Where(r => r.Tool != "addin").ToList();
        var (wa, wb) = (Median(a.Select(r => r.Seconds)), Median(b.Select(r => r.Seconds)));
        var (ma, mb) = (Median(a.Select(r => r.PeakMb)), Median(b.Select(r => r.PeakMb)));
        Line(string.Create(c, $"| whole build, wall time | {wa:0.0} s | {wb:0.0} s | {wa / wb:0.00} |"));
        Line(string.Create(c, $"| peak memory (process tree PSS) | {ma:0} MB | {mb:0} MB | {ma / mb:0.00} |"));
        var (qa, qb) = (Median(a.Select(r => (double)r.Requests)), Median(b.Select(r => (double)r.Requests)));
        Line(string.Create(c, $"| API requests per build (counted by the local cloud) | {qa:0} | {qb:0} | {qa / qb:0.00} |"));
        Line(string.Empty);
        Line("| round | addin wall | Packer wall | addin peak memory | Packer peak memory | addin API requests | Packer API requests |");
        Line("|---|---|---|---|---|---|---|");
        foreach (var round in a.Select(r => r.Round))
        {
            var (ra, rb) = (a.Single(r => r.Round == round), b.Single(r => r.Round == round));
            Line(string.Create(c, $"| {round} | {ra.Seconds:0.0} s | {rb.Seconds:0.0} s | {ra.PeakMb:0} MB | {rb.PeakMb:0} MB | {ra.Requests} | {rb.Requests} |"));
        }

        return text.ToString();
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

    private static async Task MustAsync(string file, string[] arguments, string folder, Dictionary<string, string>? env, string log)
    {
        if ((await RunAsync(file, arguments, folder, env, log)).Exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed; see {log}");
        }
    }

    /// <summary>Runs a process, its output to a log file; the wall time and the peak PSS of its process tree.</summary>
    private static async Task<(int Exit, double Seconds, double PeakMb)> RunAsync(string file, string[] arguments, string folder, Dictionary<string, string>? env, string log)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in env ?? [])
        {
            start.Environment[name] = value;
        }

        await using var output = new StreamWriter(log, append: true);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peakKb = 0;
        var exited = process.WaitForExitAsync();
        while (!exited.IsCompleted)
        {
            peakKb = Math.Max(peakKb, TreePssKb(process.Id));
            await Task.WhenAny(exited, Task.Delay(50));
        }

        await exited;
        return (process.ExitCode, clock.Elapsed.TotalSeconds, peakKb / 1024.0);
    }

    /// <summary>The summed PSS of a process and all its descendants, from /proc: shared pages (one binary in several
    /// processes, as Packer's plugins are) counted once, split between them.</summary>
    private static long TreePssKb(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && TryRead(Path.Combine(dir, "stat"), out var stat))
            {
                // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        var tree = new HashSet<int> { rootPid };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                grew |= tree.Contains(parent) && tree.Add(pid);
            }
        }

        long total = 0;
        foreach (var pid in tree)
        {
            if (TryRead($"/proc/{pid}/smaps_rollup", out var rollup))
            {
                var line = rollup.Split('\n').FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
                total += line is null ? 0 : long.Parse(line["Pss:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static bool TryRead(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (IOException)
        {
            text = string.Empty;
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            text = string.Empty;
            return false;
        }
    }
}
