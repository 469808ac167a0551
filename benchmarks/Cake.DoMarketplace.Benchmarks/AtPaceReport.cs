using System.Globalization;
using System.Text;

/// <summary>The at-pace section of docs/benchmarks.md: every row, then the issue's targets, each met or not.</summary>
internal static class AtPaceReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Write(IReadOnlyList<PacedRun> results, AtPaceOptions settings, string? packerAtOnce, string command, string load)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        var f = settings.Factor;
        Line(string.Create(C, $"## At DigitalOcean's pace × {f}: the addin versus Packer 1.6.6, {settings.Describe()}"));
        Line();
        Line(string.Create(C, $"Against a local cloud at DigitalOcean's pace × {f} (`LocalCloudOptions.Pace = DigitalOcean`, `PaceFactor = {f}`; docs/local-cloud.md): a droplet active {55 * f:0.#} s after its create at the earliest, shutdown {10 * f:0.#} s, power_off {5 * f:0.#} s, a snapshot {60 * f:0.#} s per GB used (at least 1 GB), and per token 250 requests per {60 * f:0.#} s and 5,000 per {3600 * f:0.#} s, over them 429 with retry-after. The droplets are machines on this host, so their own work (apt, the scripts, the erase) runs on its {Environment.ProcessorCount} cores, which builds at once share with each other and with whatever else runs ({load}; {DateTime.UtcNow:yyyy-MM-dd}); on DigitalOcean each droplet has its own vCPU, and only the waits are shared. Every build uses one token. (a) the nginx example (`dotnet cake build.cake --target=Snapshot`) versus `packer build benchmarks/packer/nginx-1-click.json`; (b) `DoBuildImages` with the example's settings three times under three names, at most 3 at once (benchmarks/nginx-three-variants/build.cake) versus one template with three named digitalocean builders (benchmarks/packer/nginx-three-builders.json), the same steps; (c) {settings.AtOnce} processes started together, each building the example in its own copy of its folder (as {settings.AtOnce} CI jobs sharing one token: each has its own limiter)."));
        Line();
        Line(string.Create(C, $"At a small factor the rate windows shrink with the waits, so builds may meet no 429 at all; the rows marked *harder* run at the machine's pace (no DigitalOcean delays) with a per-minute limit far below DigitalOcean's and windows of a real minute ({settings.ThreeVariantsPerMinute} per minute for (b), {settings.AtOncePerMinute} for (c)), so that 429s are met. API requests and 429s are what the local cloud counted during the row; a build succeeded when its process exited 0 and its snapshot is in the cloud afterwards. A 429 is honoured when the build that met it waited and went on to succeed."));
        Line();
        Line($"Command: `{command}`");
        Line();
        Line("| round | case | limits | tool | builds | wall time | API requests (per build) | 429s answered | snapshots made | all succeeded |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Line(string.Create(C, $"| {r.Round} | {r.Case} | {r.Limits} | {r.Tool} | {r.Builds} | {r.Seconds:0.0} s | {r.Requests} ({r.RequestsPerBuild:0.#}) | {r.TooManyRequests} | {r.Images} of {r.Builds} | {(r.Succeeded ? "yes" : $"**no** (exits {string.Join(",", r.Exits)})")} |"));
        }

        if (packerAtOnce is not null)
        {
            Line();
            Line($"Packer, {settings.AtOnce} builds at once: {packerAtOnce}.");
        }

        Line();
        Line("### The issue's targets at pace");
        Line();
        foreach (var target in Targets(results, settings))
        {
            Line("- " + target);
        }

        return text.ToString();
    }

    private static IEnumerable<string> Targets(IReadOnlyList<PacedRun> results, AtPaceOptions settings)
    {
        static bool Harder(PacedRun r) => r.Limits.StartsWith("harder", StringComparison.Ordinal);
        var paced = results.Where(r => !Harder(r)).ToList();
        double Wall(string @case, string tool) => Stats.Median(paced.Where(r => r.Case == @case && r.Tool == tool).Select(r => r.Seconds));
        double PerBuild(IEnumerable<PacedRun> rows) => Stats.Median(rows.Select(r => r.RequestsPerBuild));
        if (settings.Runs('a') && settings.Runs('b'))
        {
            var (one, three, packerThree) = (Wall(AtPace.One, VersusPacker.Addin), Wall(AtPace.Three, VersusPacker.Addin), Wall(AtPace.Three, VersusPacker.Packer));
            yield return string.Create(C, $"3 variants' wall ≤ 1.3 × one variant's: {three:0.0} s against 1.3 × {one:0.0} s = {1.3 * one:0.0} s ({three / one:0.00}×): {Met(three <= 1.3 * one)}.");
            yield return string.Create(C, $"3 variants' wall ≤ Packer's 3-builder template: {three:0.0} s against {packerThree:0.0} s: {Met(three <= packerThree)}.");
        }

        foreach (var harder in results.Where(Harder))
        {
            var outcome = harder.Succeeded ? "every build succeeded" : $"**{harder.Builds - harder.Images} of {harder.Builds} builds failed** (exits {string.Join(",", harder.Exits)})";
            yield return string.Create(C, $"Harder, {harder.Case}, {harder.Tool}: the cloud answered {harder.TooManyRequests} 429s; {outcome}.");
        }

        if (!settings.Runs('a') || !settings.Runs('c'))
        {
            yield break;
        }

        var atOnce = results.Where(r => r.Case == AtPace.AtOnce && r.Tool == VersusPacker.Addin).ToList();
        var failed = atOnce.Count(r => !r.Succeeded);
        var met429 = atOnce.Sum(r => r.TooManyRequests);
        yield return string.Create(C, $"{settings.AtOnce} builds at once all succeed: {atOnce.Count - failed} of {atOnce.Count} rows had every build succeed (at pace and harder): {Met(failed == 0)}.");
        var honoured = met429 == 0 ? "none met, so this run shows nothing either way." : $"{Met(failed == 0)} (every build that met one went on and succeeded).";
        var rows = string.Join(", ", atOnce.Select(r => string.Create(C, $"{r.TooManyRequests} {(Harder(r) ? "harder" : "at pace")}")));
        yield return string.Create(C, $"Every 429 honoured: the cloud answered {met429} 429s to the addin's builds at once ({rows}): {honoured}");
        var addinPerBuild = PerBuild(paced.Where(r => r.Case == AtPace.AtOnce && r.Tool == VersusPacker.Addin));
        var packerRows = paced.Where(r => r.Case == AtPace.AtOnce && r.Tool == VersusPacker.Packer).ToList();
        var (packerPerBuild, which) = packerRows.Count > 0 ? (PerBuild(packerRows), "its builds at once")
            : (PerBuild(paced.Where(r => r.Case == AtPace.One && r.Tool == VersusPacker.Packer)), "its one build, (a): Packer's builds at once were not run");
        yield return string.Create(C, $"API requests per build ≤ Packer's: {addinPerBuild:0.#} per build at once against Packer's {packerPerBuild:0.#} ({which}): {Met(addinPerBuild <= packerPerBuild)}.");
    }

    private static string Met(bool met) => met ? "**met**" : "**not met**";
}
