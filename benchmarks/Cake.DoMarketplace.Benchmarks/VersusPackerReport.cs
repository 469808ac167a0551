using System.Globalization;
using System.Text;

/// <summary>The versus-Packer section of docs/benchmarks.md: medians, ratios, every round, the builds at once.</summary>
internal static class VersusPackerReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Write(IReadOnlyList<Run> results, IReadOnlyList<ConcurrentBuilds.Result> together, int rounds, string command)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line("## The nginx example image: the addin versus Packer 1.6.6");
        Line();
        Line(string.Create(C, $"examples/nginx-1-click built {rounds} times each way, interleaved (addin, Packer, an empty Cake script, addin, …), against one local cloud on this host ({Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}). Addin: `dotnet cake build.cake --target=Snapshot` in the example's folder with DIGITALOCEAN_TOKEN and DIGITALOCEAN_API_URL set (build, validation, cleanup with the free-space erase, snapshot). Packer: `packer build benchmarks/packer/nginx-1-click.json` (the same steps, DigitalOcean's marketplace-partners cleanup with its `dd` zero fill, no validation). The empty Cake script (benchmarks/empty-cake) is Cake alone: what any Cake script costs before an addin does anything. Wall time is the whole process; memory is the peak of the summed PSS (proportional set size: shared pages counted once) of the process tree, sampled every 50 ms; the first API request is when the local cloud counted it."));
        Line();
        Line($"Command: `{command}`");
        Line();
        var addin = results.Where(r => r.Tool == VersusPacker.Addin).ToList();
        var packer = results.Where(r => r.Tool == VersusPacker.Packer).ToList();
        var empty = results.Where(r => r.Tool == VersusPacker.EmptyCake).ToList();
        Line($"| figure (median of {rounds}) | addin | Packer 1.6.6 | ratio (addin / Packer) |");
        Line("|---|---|---|---|");
        Row("whole build, wall time", r => r.Measured.Seconds, "0.0", " s");
        Row("start to first API request", r => r.Measured.FirstRequestSeconds, "0.00", " s");
        Row("peak memory (process tree PSS)", r => r.Measured.PeakMb, "0", " MB");
        Row("peak RSS of its largest process (VmHWM)", r => r.Measured.PeakProcessRssMb, "0", " MB");
        Row("API requests per build (counted by the local cloud)", r => r.Requests, "0", string.Empty);
        Line();
        var (emptyPss, emptyRss) = (Stats.Median(empty.Select(r => r.Measured.PeakMb)), Stats.Median(empty.Select(r => r.Measured.PeakProcessRssMb)));
        var addinRss = Stats.Median(addin.Select(r => r.Measured.PeakProcessRssMb));
        Line(string.Create(C, $"The empty Cake script: {Stats.Median(empty.Select(r => r.Measured.Seconds)):0.0} s, peak PSS {emptyPss:0} MB, peak RSS of the Cake process {emptyRss:0} MB. **The addin's share of the build's memory** (the Cake process's peak RSS, build minus the empty script, both with the script cache warm after round 1): **{addinRss - emptyRss:0} MB** (by peak PSS of the process tree: {Stats.Median(addin.Select(r => r.Measured.PeakMb)) - emptyPss:0} MB; PSS is sampled every 50 ms and splits shared pages with whatever else runs, so it moves between runs, the kernel's VmHWM does not)."));
        Line();
        Line("| round | addin wall | Packer wall | empty Cake wall | addin first request | Packer first request | addin peak PSS / RSS | Packer peak PSS / RSS | empty Cake peak PSS / RSS | addin requests | Packer requests |");
        Line("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var round in addin.Select(r => r.Round))
        {
            var (a, p, e) = (addin.Single(r => r.Round == round), packer.Single(r => r.Round == round), empty.Single(r => r.Round == round));
            Line(string.Create(C, $"| {round} | {a.Measured.Seconds:0.0} s | {p.Measured.Seconds:0.0} s | {e.Measured.Seconds:0.0} s | {a.Measured.FirstRequestSeconds:0.00} s | {p.Measured.FirstRequestSeconds:0.00} s | {a.Measured.PeakMb:0} / {a.Measured.PeakProcessRssMb:0} MB | {p.Measured.PeakMb:0} / {p.Measured.PeakProcessRssMb:0} MB | {e.Measured.PeakMb:0} / {e.Measured.PeakProcessRssMb:0} MB | {a.Requests} | {p.Requests} |"));
        }

        if (together.Count > 0)
        {
            var one = Stats.Median(addin.Select(r => r.Measured.Seconds));
            Line();
            Line("### Builds at once");
            Line();
            Line(string.Create(C, $"The same addin build started N times together, each in its own copy of the example, against the same local cloud (one build alone: {one:0.0} s, the median above). Overhead per build: how much longer each build took than one alone."));
            Line();
            Line("| builds at once | all done after | each build (median) | overhead per build | throughput vs one at a time | API requests, all builds |");
            Line("|---|---|---|---|---|---|");
            foreach (var run in together)
            {
                var each = Stats.Median(run.BuildSeconds);
                Line(string.Create(C, $"| {run.Builds} | {run.TotalSeconds:0.0} s | {each:0.0} s | {(each - one) / one:+0%;-0%} | {run.Builds * one / run.TotalSeconds:0.00}× | {run.Requests} |"));
            }
        }

        Line();
        Line(RateLimitModel.Write(Stats.Median(addin.Select(r => (double)r.Requests)), Stats.Median(packer.Select(r => (double)r.Requests))).TrimEnd('\n'));
        return text.ToString();

        void Row(string figure, Func<Run, double> value, string number, string unit)
        {
            var (a, p) = (Stats.Median(addin.Select(value)), Stats.Median(packer.Select(value)));
            Line($"| {figure} | {a.ToString(number, C)}{unit} | {p.ToString(number, C)}{unit} | {(a / p).ToString("0.00", C)} |");
        }
    }
}
