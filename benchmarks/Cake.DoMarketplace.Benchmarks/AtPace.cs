using System.Globalization;
using Cake.DoMarketplace.LocalCloud;

/// <summary>
/// --at-pace: the addin against Packer 1.6.6 on a local cloud at DigitalOcean's pace (times and rate windows × a factor):
/// one build, three variants (DoBuildImages against one template with three builders), builds at once sharing one token.
/// Then the harder rows: the machine's pace with a per-minute limit far below DigitalOcean's, so that 429s are met (at a
/// small factor the windows shrink with the waits, and builds meet none).
/// </summary>
internal static class AtPace
{
    public const string One = "(a) one build";
    public const string Three = "(b) 3 variants";
    public const string AtOnce = "(c) builds at once";

    /// <summary>What one Packer build may write at most: its droplet's 10 GB disk, filled by the zero fill.</summary>
    private const long PackerDiskBytes = 10L << 30;

    public static async Task RunAsync(AtPaceOptions settings, string command)
    {
        var root = VersusPacker.FindRoot();
        var example = Path.Combine(root, "examples", "nginx-1-click");
        var variants = Path.Combine(root, "benchmarks", "nginx-three-variants");
        var feed = new Uri(Path.Combine(root, "artifacts", "packages") + "/").AbsoluteUri;
        var logs = Path.Combine(root, "artifacts", "at-pace");
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, true);
        }

        Directory.CreateDirectory(logs);
        await VersusPacker.PrepareAsync(root, logs, variants);
        var addinOne = ("dotnet", new[] { "cake", "build.cake", "--target=Snapshot", "--nuget_source=" + feed }, example);
        var addinThree = ("dotnet", new[] { "cake", "build.cake", "--nuget_source=" + feed }, variants);
        var data = Directory.CreateTempSubdirectory("cdm-at-pace-").FullName;
        var results = new List<PacedRun>();
        var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var packerAtOnce = PackerAtOnce(settings.AtOnce, data);
        try
        {
            var paced = new LocalCloudOptions { DataDirectory = Path.Combine(data, "paced"), Pace = LocalCloudPace.DigitalOcean, PaceFactor = settings.Factor };
            var pacedLimits = FormattableString.Invariant($"DigitalOcean's pace × {settings.Factor}: 250 per {60 * settings.Factor:0.#} s, 5,000 per {3600 * settings.Factor:0.#} s");
            await using (var cloud = await PacedCloud.StartAsync(paced, pacedLimits, logs))
            {
                for (var round = 1; round <= settings.Rounds; round++)
                {
                    var packerOne = Packer(cloud, "nginx-1-click.json", root);
                    if (settings.Runs('a'))
                    {
                        results.Add(await cloud.MeasureAsync(round, One, VersusPacker.Addin, 1, [addinOne]));
                        results.Add(await cloud.MeasureAsync(round, One, VersusPacker.Packer, 1, [packerOne]));
                    }

                    if (settings.Runs('b'))
                    {
                        results.Add(await cloud.MeasureAsync(round, Three, VersusPacker.Addin, 3, [addinThree]));
                        results.Add(await cloud.MeasureAsync(round, Three, VersusPacker.Packer, 3, [Packer(cloud, "nginx-three-builders.json", root)]));
                    }

                    if (settings.Runs('c'))
                    {
                        results.Add(await AddinAtOnceAsync(cloud, round, settings.AtOnce, example, addinOne.Item2, logs));
                    }

                    if (settings.Runs('c') && packerAtOnce is null)
                    {
                        results.Add(await cloud.MeasureAsync(round, AtOnce, VersusPacker.Packer, settings.AtOnce, [.. Enumerable.Repeat(packerOne, settings.AtOnce)]));
                    }
                }
            }

            // Harder: no DigitalOcean delays, a per-minute limit a fraction of DigitalOcean's (windows of a real minute). Each
            // row on a cloud of its own, so that each starts with the token's whole budget, not what the row before left.
            var harder = new (int PerMinute, string Case, string Tool)[]
            {
                (settings.ThreeVariantsPerMinute, Three, VersusPacker.Addin), (settings.ThreeVariantsPerMinute, Three, VersusPacker.Packer),
                (settings.AtOncePerMinute, AtOnce, VersusPacker.Addin),
            };
            var index = 0;
            foreach (var (perMinute, @case, tool) in harder.Where(h => settings.Harder && settings.Runs(h.Case == Three ? 'b' : 'c')))
            {
                var tight = new LocalCloudOptions { DataDirectory = Path.Combine(data, $"tight-{++index}"), RequestsPerMinute = perMinute, RequestsPerHour = 5000 };
                var limits = FormattableString.Invariant($"harder: the machine's pace, {perMinute} per minute (DigitalOcean: 250), 5,000 per hour");
                await using var cloud = await PacedCloud.StartAsync(tight, limits, logs);
                results.Add((@case, tool) switch
                {
                    (AtOnce, _) => await AddinAtOnceAsync(cloud, 1, settings.AtOnce, example, addinOne.Item2, logs),
                    (_, VersusPacker.Addin) => await cloud.MeasureAsync(1, Three, tool, 3, [addinThree]),
                    _ => await cloud.MeasureAsync(1, Three, tool, 3, [Packer(cloud, "nginx-three-builders.json", root)]),
                });
            }
        }
        finally
        {
            Directory.Delete(data, true);
        }

        var load = $"load average {loadBefore} at the start, {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end";
        var markdown = AtPaceReport.Write(results, settings, packerAtOnce, command, load);
        Console.WriteLine();
        Console.WriteLine(markdown);
        await BenchmarksDoc.WriteSectionAsync(Path.Combine(root, "docs", "benchmarks.md"), markdown);
    }

    private static (string, string[], string) Packer(PacedCloud cloud, string template, string root) =>
        ("packer", ["build", "-color=false", "-var", "api_token=" + VersusPacker.Token, "-var", "api_url=" + cloud.Url, "benchmarks/packer/" + template], root);

    /// <summary>N addin builds started together, each in its own copy of the example (its own artifacts/, as a CI job).</summary>
    private static async Task<PacedRun> AddinAtOnceAsync(PacedCloud cloud, int round, int builds, string example, string[] arguments, string logs)
    {
        var copies = Enumerable.Range(1, builds).Select(i => ConcurrentBuilds.CopyExample(example, Path.Combine(logs, "copies", $"build{i}"))).ToList();
        try
        {
            return await cloud.MeasureAsync(round, AtOnce, VersusPacker.Addin, builds, [.. copies.Select(c => ("dotnet", arguments, c))]);
        }
        finally
        {
            Directory.Delete(Path.Combine(logs, "copies"), true);
        }
    }

    /// <summary>Why N Packer builds at once are not run here, or null when the disk bears them.</summary>
    private static string? PackerAtOnce(int builds, string data)
    {
        var free = new DriveInfo(data).AvailableFreeSpace;
        var needed = builds * PackerDiskBytes * 5 / 4;
        return free >= needed ? null : string.Create(CultureInfo.InvariantCulture,
            $"not run: {builds} Packer builds at once fill up to {builds} × 10 GB of droplet disk with their zero fill (sparse files on this host), "
            + $"{needed >> 30} GB with a margin, and this host's disk has {free >> 30} GB free");
    }
}
