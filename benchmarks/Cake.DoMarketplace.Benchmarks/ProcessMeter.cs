using System.Diagnostics;
using System.Globalization;

/// <summary>One measured process: exit code, wall time, peak PSS of its tree, the largest peak RSS of one process in
/// the tree, time to its first API request.</summary>
internal sealed record Measured(int Exit, double Seconds, double PeakMb, double PeakProcessRssMb, double FirstRequestSeconds);

/// <summary>Runs a process to its end and measures it (wall time, peak memory of its process tree, first API request).</summary>
internal static class ProcessMeter
{
    /// <summary>Runs a process, its output to a log file; the wall time and the peak PSS of its process tree.</summary>
    public static async Task<Measured> RunAsync(string file, string[] arguments, string folder, Dictionary<string, string>? env, string log, Func<long>? apiRequests = null)
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
        var highWaterKb = new Dictionary<int, long>();
        var exited = process.WaitForExitAsync();
        var firstRequest = apiRequests is null ? Task.FromResult(double.NaN) : FirstRequestAsync(apiRequests, clock, exited);
        while (!exited.IsCompleted)
        {
            peakKb = Math.Max(peakKb, SampleTree(process.Id, highWaterKb));
            await Task.WhenAny(exited, Task.Delay(50));
        }

        await exited;
        return new Measured(process.ExitCode, clock.Elapsed.TotalSeconds, peakKb / 1024.0, highWaterKb.Values.DefaultIfEmpty().Max() / 1024.0, await firstRequest);
    }

    /// <summary>Seconds from the process start to the first API request the local cloud counts (NaN: none).</summary>
    private static async Task<double> FirstRequestAsync(Func<long> apiRequests, Stopwatch clock, Task exited)
    {
        var before = apiRequests();
        while (!exited.IsCompleted)
        {
            if (apiRequests() != before)
            {
                return clock.Elapsed.TotalSeconds;
            }

            await Task.WhenAny(exited, Task.Delay(5));
        }

        return double.NaN;
    }

    /// <summary>The summed PSS of a process and all its descendants, from /proc: shared pages (one binary in several
    /// processes, as Packer's plugins are) counted once, split between them. Records each one's VmHWM on the way.</summary>
    public static long SampleTree(int rootPid, Dictionary<int, long> highWaterKb)
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
            // VmHWM: the kernel's own high-water mark of the process's RSS, exact between samples (PSS is sampled, and
            // shifts with what other processes share).
            if (TryRead($"/proc/{pid}/status", out var status) && status.Split('\n').FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) is { } hwm)
            {
                highWaterKb[pid] = Math.Max(highWaterKb.GetValueOrDefault(pid), long.Parse(hwm["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
            }

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
