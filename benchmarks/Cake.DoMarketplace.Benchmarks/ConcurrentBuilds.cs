using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Several addin builds of the nginx example at once against one local cloud, each in its own copy of the example
/// (its artifacts/ and Cake's tools/ are per folder, as in separate CI jobs).
/// </summary>
internal static class ConcurrentBuilds
{
    /// <summary>What N builds at once took: the whole, each build, the API requests of all.</summary>
    public sealed record Result(int Builds, double TotalSeconds, IReadOnlyList<double> BuildSeconds, long Requests);

    public static async Task<Result> RunAsync(int builds, string example, string[] arguments, Dictionary<string, string> env, string logs, Func<long> apiRequests)
    {
        // Inside the repository, so that `dotnet cake` finds the tool manifest as in the example's own folder.
        var copies = Enumerable.Range(1, builds).Select(i => CopyExample(example, Path.Combine(logs, $"at-once-{builds}", $"build{i}"))).ToList();
        try
        {
            var before = apiRequests();
            var clock = Stopwatch.StartNew();
            var runs = await Task.WhenAll(copies.Select((folder, i) =>
                ProcessMeter.RunAsync("dotnet", arguments, folder, env, Path.Combine(logs, $"at-once-{builds}-build{i + 1}.log"))));
            var total = clock.Elapsed.TotalSeconds;
            var failed = runs.Select((run, i) => (run, i)).Where(r => r.run.Exit != 0).Select(r => r.i + 1).ToList();
            if (failed.Count > 0)
            {
                throw new InvalidOperationException($"{failed.Count} of {builds} builds at once failed (build {string.Join(", ", failed)}); see {logs}/at-once-{builds}-build*.log");
            }

            var result = new Result(builds, total, runs.Select(r => r.Seconds).ToList(), apiRequests() - before);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{builds} builds at once: {total:0.0} s in all, each {string.Join(" / ", result.BuildSeconds.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))} s, {result.Requests} API requests"));
            return result;
        }
        finally
        {
            foreach (var copy in copies)
            {
                Directory.Delete(copy, true);
            }
        }
    }

    /// <summary>A copy of the example with its tools/ (the addin Cake already installed there), without its artifacts.</summary>
    internal static string CopyExample(string example, string copy)
    {
        Directory.CreateDirectory(copy);
        foreach (var source in Directory.EnumerateFileSystemEntries(example, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(example, source);
            if (relative.StartsWith("artifacts", StringComparison.Ordinal) || relative.StartsWith(".local-cloud", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(copy, relative);
            if (Directory.Exists(source))
            {
                Directory.CreateDirectory(target);
            }
            else
            {
                File.Copy(source, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(source));
            }
        }

        return copy;
    }
}
