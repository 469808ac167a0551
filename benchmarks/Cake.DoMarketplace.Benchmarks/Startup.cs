using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cake.DoMarketplace.LocalCloud;

/// <summary>
/// --startup: how long the nginx example takes from its start to its first API request, and where that time goes. The
/// example (`dotnet cake build.cake --target=Snapshot` against a local cloud) is stopped as soon as the local cloud
/// counts its first request; the empty Cake script (benchmarks/empty-cake) runs to its end, Cake alone. Each is a copy
/// under artifacts/startup with its own tools/, warmed once (addin install, script compile) before the measured rounds,
/// which are interleaved so that the host's load hits all alike. With --baseline-feed DIR, a second copy of the example
/// takes its addin from that feed (an older pack of the same version), interleaved too: before and after a change.
/// </summary>
internal static class Startup
{
    private const string Token = "benchmark-token-000000000000000000";
    private const string Addin = "addin";
    private const string Baseline = "addin (baseline feed)";
    private const string EmptyCake = "empty Cake script";
    private const string ToolOnly = "empty + #tool line";
    private const string AddinOnly = "empty + #addin line";
    private static readonly string[] Skipped = ["tools", "artifacts", ".local-cloud"];

    /// <summary>One run: when its output lines arrived, when its first API request came (NaN: none), its Cake process's RSS then.</summary>
    private sealed record StartupRun(int Round, string What, double FirstRequest, double TaskHeader, double Exit, double RssMb)
    {
        /// <summary>When Cake wrote "Setup" (its script running: tools, addins and the compiled script loaded); NaN without one.</summary>
        public double Setup { get; init; } = double.NaN;

        /// <summary>When Cake's last line before the script ran came (the #tool line's check); NaN without one.</summary>
        public double Tools { get; init; } = double.NaN;

        /// <summary>CPU seconds (user + system) the process tree had used at the first request (run to its end: at the last ~50 ms sample), its
        /// reaped children's included.</summary>
        public double CpuSeconds { get; init; } = double.NaN;
    }

    public static async Task RunAsync(int rounds, string? baselineFeed, string command)
    {
        var root = VersusPacker.FindRoot();
        var feed = Path.Combine(root, "artifacts", "packages");
        var work = Path.Combine(root, "artifacts", "startup");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, true);
        }

        Directory.CreateDirectory(work);
        await VersusPacker.MustAsync("dotnet", ["cake", "--target=Pack"], root, null, Path.Combine(work, "pack.log"));
        var subjects = new List<(string What, string Folder, string Feed)>
        {
            (Addin, Copy(Path.Combine(root, "examples", "nginx-1-click"), Path.Combine(work, "addin")), feed),
        };
        if (baselineFeed is not null)
        {
            subjects.Add((Baseline, Copy(Path.Combine(root, "examples", "nginx-1-click"), Path.Combine(work, "baseline")), Path.GetFullPath(baselineFeed)));
        }

        subjects.Add((EmptyCake, Copy(Path.Combine(root, "benchmarks", "empty-cake"), Path.Combine(work, "empty-cake")), feed));

        // The empty script with only the example's #tool line, and with only its #addin line (no alias called): what each
        // directive costs Cake before any of the addin's code runs.
        var directives = File.ReadLines(Path.Combine(root, "examples", "nginx-1-click", "build.cake")).ToList();
        foreach (var (what, directive) in new[] { (ToolOnly, "#tool "), (AddinOnly, "#addin ") })
        {
            var folder = Copy(Path.Combine(root, "benchmarks", "empty-cake"), Path.Combine(work, what == ToolOnly ? "tool-only" : "addin-only"));
            var script = Path.Combine(folder, "build.cake");
            await File.WriteAllTextAsync(script, directives.Single(l => l.StartsWith(directive, StringComparison.Ordinal)) + "\n" + await File.ReadAllTextAsync(script));
            subjects.Add((what, folder, feed));
        }

        // As the root build.cake's RunExample: the example's #tool line finds the local cloud's tool where Cake looks (Cake's own
        // install does not take it from the feed), each copy's from its own feed.
        foreach (var (what, folder, source) in subjects.Where(s => s.What is Addin or Baseline or ToolOnly))
        {
            await VersusPacker.MustAsync("dotnet", ["tool", "install", "Cake.DoMarketplace.LocalCloud", "--version", "0.1.0", "--tool-path", Path.Combine(folder, "tools"),
                "--add-source", source], root, null, Path.Combine(work, "tool.log"));
        }

        var data = Directory.CreateTempSubdirectory("cdm-startup-").FullName;
        var options = new LocalCloudOptions { DataDirectory = data, RequestsPerMinute = 100_000, RequestsPerHour = 1_000_000 };
        options.Tokens.Add(Token);
        var runs = new List<StartupRun>();
        var loadBefore = LoadAverage();
        try
        {
            await using var server = await LocalCloudServer.StartAsync(options);
            var env = new Dictionary<string, string> { ["DIGITALOCEAN_TOKEN"] = Token, ["DIGITALOCEAN_API_URL"] = server.BaseUrl.AbsoluteUri };
            for (var round = 0; round <= rounds; round++)
            {
                foreach (var (what, folder, source) in subjects)
                {
                    var example = what is Addin or Baseline;
                    var arguments = example
                        ? new[] { "cake", "build.cake", "--target=Snapshot", "--nuget_source=" + new Uri(source + "/").AbsoluteUri }
                        : ["cake", "build.cake", "--nuget_source=" + new Uri(source + "/").AbsoluteUri];
                    var log = Path.Combine(work, $"round{round}-{Path.GetFileName(folder)}.log");
                    var run = await RunUntilFirstRequestAsync(round, what, folder, arguments, env, log, () => server.ApiRequests, stopAtRequest: example);
                    if (example && double.IsNaN(run.FirstRequest))
                    {
                        throw new InvalidOperationException($"{what} made no API request in round {round}; see {log}");
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round}/{rounds}{(round == 0 ? " (warm-up)" : string.Empty)} {what}: tools {run.Tools:0.000} s, setup {run.Setup:0.000} s, task {run.TaskHeader:0.000} s, first request {run.FirstRequest:0.000} s, end {run.Exit:0.000} s, CPU {run.CpuSeconds:0.00} s, peak RSS {run.RssMb:0} MB"));
                    if (round > 0)
                    {
                        runs.Add(run);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(data, true);
        }

        var markdown = Report(runs, rounds, baselineFeed is not null, command, $"{loadBefore} before, {LoadAverage()} after");
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (baselineFeed is null)
        {
            // A comparison with an older pack is for the change's own record, not the document's figures.
            await BenchmarksDoc.WriteSectionAsync(Path.Combine(root, "docs", "benchmarks.md"), markdown);
        }
    }

    /// <summary>
    /// Runs a process until the local cloud counts a request (then kills its tree) or until it ends; timestamps the line
    /// Cake writes when the first task starts, and reads the Cake process's RSS when the request arrives.
    /// </summary>
    private static async Task<StartupRun> RunUntilFirstRequestAsync(int round, string what, string folder, string[] arguments,
        Dictionary<string, string> env, string log, Func<long> apiRequests, bool stopAtRequest)
    {
        var start = new ProcessStartInfo("dotnet", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        await using var output = new StreamWriter(log);
        var (tools, setup, taskHeader) = (double.NaN, double.NaN, double.NaN);
        var before = apiRequests();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            var at = clock.Elapsed.TotalSeconds;
            lock (output)
            {
                // Cake writes the Setup's and each task's name between two rules ('─' and '═'), the #tool line's check before.
                var rule = line.Trim();
                if (double.IsNaN(setup) && rule.Length > 0 && rule.All(c => c == '─'))
                {
                    setup = at;
                }
                else if (double.IsNaN(taskHeader) && rule.Length > 0 && rule.All(c => c == '═'))
                {
                    taskHeader = at;
                }
                else if (line.Contains("is already installed", StringComparison.Ordinal))
                {
                    tools = at;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at,7:0.000} {line}"));
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var firstRequest = double.NaN;
        var highWaterKb = new Dictionary<int, long>();
        var cpu = 0.0;
        for (var polls = 0; !exited.IsCompleted; polls++)
        {
            if (apiRequests() != before)
            {
                firstRequest = clock.Elapsed.TotalSeconds;
                ProcessMeter.SampleTree(process.Id, highWaterKb);
                cpu = TreeCpuSeconds(process.Id);
                if (stopAtRequest)
                {
                    process.Kill(entireProcessTree: true);
                }

                break;
            }

            // `dotnet cake` runs Cake in a child process: the tree's VmHWM, read every ~50 ms (it is the kernel's high-water mark).
            if (polls % 25 == 0)
            {
                ProcessMeter.SampleTree(process.Id, highWaterKb);
                cpu = Math.Max(cpu, TreeCpuSeconds(process.Id));
            }

            await Task.WhenAny(exited, Task.Delay(2));
        }

        await exited;
        var exit = clock.Elapsed.TotalSeconds;

        if (!stopAtRequest && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed in round {round} (exit {process.ExitCode}); see {log}");
        }

        var rssMb = highWaterKb.Values.DefaultIfEmpty().Max() / 1024.0;
        return new StartupRun(round, what, firstRequest, taskHeader, exit, rssMb) { Setup = setup, Tools = tools, CpuSeconds = cpu };
    }

    /// <summary>The one-minute load average: how busy the host was (other work shares its cores).</summary>
    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>
    /// The CPU seconds of a process tree from /proc: each live process's utime + stime, plus cutime + cstime, what its
    /// children that ended and were waited for used (the `dotnet tool list` Cake runs for a #tool line).
    /// </summary>
    private static double TreeCpuSeconds(int rootPid)
    {
        var ticks = 0L;
        foreach (var pid in Tree(rootPid))
        {
            ticks += StatTicks(pid, 11, 4);
        }

        return ticks / 100.0;
    }

    /// <summary>Sums <paramref name="count"/> fields of /proc/PID/stat from field <paramref name="first"/> after the command (0-based).</summary>
    private static long StatTicks(int pid, int first, int count)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Skip(first).Take(count).Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static List<int> Tree(int rootPid)
    {
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            var children = $"/proc/{tree[i]}/task/{tree[i]}/children";
            if (File.Exists(children))
            {
                try
                {
                    tree.AddRange(File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
                }
                catch (IOException)
                {
                    // It ended between the two reads.
                }
            }
        }

        return tree;
    }

    private static string Report(List<StartupRun> runs, int rounds, bool withBaseline, string command, string load)
    {
        double Median(string what, Func<StartupRun, double> figure) => Stats.Median(runs.Where(r => r.What == what).Select(figure));
        string S(double seconds) => double.IsNaN(seconds) ? "—" : string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s");
        var subjects = withBaseline ? new[] { Addin, Baseline, EmptyCake, ToolOnly, AddinOnly } : [Addin, EmptyCake, ToolOnly, AddinOnly];
        static bool Example(string what) => what is Addin or Baseline;
        string Row(string figure, Func<StartupRun, double> value, bool forEmpty = true) =>
            $"| {figure} | {string.Join(" | ", subjects.Select(s => !Example(s) && !forEmpty ? "—" : S(Median(s, value))))} |";
        var text = new StringBuilder();
        text.AppendLine("## Start-up: from `dotnet cake` to the first API request").AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The nginx example (`dotnet cake build.cake --target=Snapshot` with DIGITALOCEAN_TOKEN and DIGITALOCEAN_API_URL set) against a local cloud on this host ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}, load average {load} while it ran), stopped when the local cloud counts its first request; the empty Cake script (benchmarks/empty-cake) run to its end, alone, with only the example's #tool line and with only its #addin line (no alias called). Each runs in its own folder with Cake's script cache on, warmed by one unmeasured run (the addin's install, the script's compile), then {rounds} interleaved rounds. Times are from the process's start to the line Cake writes: the #tool line's check (`dotnet tool list`, a process of its own), the Setup's header (Cake has installed the addin and its dependencies, loaded their assemblies, scanned them for aliases and loaded the cached script) and the first task's header; from there to the first request is the addin's own work (the settings' checks, the API client, the pre-flight's first read). CPU is user + system of the process tree by then."));
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}`").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| figure (median of {rounds}) | {string.Join(" | ", subjects)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(subjects.Select(_ => "---|"))}");
        text.AppendLine(Row("#tool line checked", r => r.Tools));
        text.AppendLine(Row("Setup starts", r => r.Setup, forEmpty: false));
        text.AppendLine(Row("first task starts", r => r.TaskHeader));
        text.AppendLine(Row("first API request", r => r.FirstRequest, forEmpty: false));
        text.AppendLine(Row("task start to first request", r => r.FirstRequest - r.TaskHeader, forEmpty: false));
        text.AppendLine(Row("process end", r => Example(r.What) ? double.NaN : r.Exit));
        text.AppendLine(Row("CPU by the first request (empty script: by its end)", r => r.CpuSeconds));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| peak RSS of its largest process by then | {string.Join(" | ", subjects.Select(s => string.Create(CultureInfo.InvariantCulture, $"{Median(s, r => r.RssMb):0} MB")))} |");
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"| round | {string.Join(" | ", subjects.Select(s => Example(s) ? $"{s}: Setup / task / first request / CPU" : $"{s}: task / end / CPU"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(subjects.Select(_ => "---|"))}");
        for (var round = 1; round <= rounds; round++)
        {
            var row = subjects.Select(s => runs.Single(r => r.Round == round && r.What == s))
                .Select(r => Example(r.What)
                    ? $"{S(r.Setup)} / {S(r.TaskHeader)} / {S(r.FirstRequest)} / {S(r.CpuSeconds)}"
                    : $"{S(r.TaskHeader)} / {S(r.Exit)} / {S(r.CpuSeconds)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {round} | {string.Join(" | ", row)} |");
        }

        return text.ToString();
    }

    /// <summary>A copy of a Cake script's folder, without what its runs left (tools/, artifacts/, the local cloud's data).</summary>
    private static string Copy(string from, string to)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, source);
            if (Skipped.Any(skip => relative == skip || relative.StartsWith(skip + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            if (Directory.Exists(source))
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(source, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(source));
            }
        }

        return to;
    }
}
