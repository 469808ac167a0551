using System.Diagnostics;
using System.Globalization;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.Ssh;

// Figures for the README: what a user waits for on the local cloud. Not a test: nothing here asserts a time.
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(5);
// --versus-openssh and --versus-packer compare with what users would pick instead; given together (or --versus-all),
// one run measures both and writes both sections of docs/benchmarks.md.
var command = "dotnet run -c Release --project benchmarks/Cake.DoMarketplace.Benchmarks -- " + string.Join(' ', args);
var versusOpenSsh = args.Contains("--versus-openssh") || args.Contains("--versus-all");
var versusPacker = args.Contains("--versus-packer") || args.Contains("--versus-all");
if (versusOpenSsh)
{
    await VersusOpenSsh.RunAsync(rounds, command);
}

if (versusPacker)
{
    // --at-once 4,8: after the rounds, that many addin builds started together (total time, overhead per build).
    var atOnce = args.SkipWhile(a => a != "--at-once").Skip(1).Take(1).SelectMany(a => a.Split(',')).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
    await VersusPacker.RunAsync(rounds, atOnce, command);
}

// --startup: the nginx example to its first API request, beside the empty Cake script (--baseline-feed DIR: also an
// older pack, interleaved, for a before-and-after).
var startup = args.Contains("--startup");
if (startup)
{
    await Startup.RunAsync(rounds, args.SkipWhile(a => a != "--baseline-feed").Skip(1).FirstOrDefault(), command);
}

if (args.Contains("--at-pace"))
{
    // --at-pace [--pace-factor 0.1] [--rounds 1] [--at-once 8] [--tight-limits 20,60]: addin vs Packer at DigitalOcean's pace.
    await AtPace.RunAsync(AtPaceOptions.Parse(args), command);
    return;
}

if (versusOpenSsh || versusPacker || startup)
{
    return;
}

var rebuildBase = args.Contains("--rebuild-base");
var data = Directory.CreateTempSubdirectory("cdm-bench-").FullName;
var options = new LocalCloudOptions { DataDirectory = data, RequestsPerMinute = 100_000 };
options.Tokens.Add("benchmark-token-000000000000000000");
if (rebuildBase)
{
    options.ImageCacheDirectory = Path.Combine(data, "base-cache");
}

var results = new List<(string What, List<double> Seconds)>();
void Record(string what, double seconds)
{
    var row = results.FirstOrDefault(r => r.What == what);
    if (row.What is null)
    {
        row = (what, []);
        results.Add(row);
    }

    row.Seconds.Add(seconds);
    Console.WriteLine($"  {what}: {seconds:0.000}s");
}

var clock = Stopwatch.StartNew();
await using (var server = await LocalCloudServer.StartAsync(options))
{
    Record(rebuildBase ? "base image build (debootstrap + cloud-init)" : "local cloud start (cached base image)", clock.Elapsed.TotalSeconds);
    using var api = new DoApiClient(new DoApiOptions { Token = options.Tokens[0], BaseUrl = server.BaseUrl });
    var key = SshKeyPair.Generate("bench");
    var registered = await api.CreateSshKeyAsync("bench", key.PublicKeyLine);

    for (var round = 1; round <= rounds; round++)
    {
        Console.WriteLine($"round {round}/{rounds}");
        var (droplet, ready) = await CreateUntilSshAsync(api, key, registered, $"bench-{round}", "debian-12-x64");
        Record("droplet create -> SSH ready", ready);

        clock.Restart();
        await ActAsync(api, droplet.Id, "reboot");
        await SshReadyAsync(droplet, key, $"bench-{round}");
        Record("reboot action -> SSH ready", clock.Elapsed.TotalSeconds);

        clock.Restart();
        await ActAsync(api, droplet.Id, "power_off");
        Record("power_off", clock.Elapsed.TotalSeconds);
        clock.Restart();
        await ActAsync(api, droplet.Id, "snapshot", $"bench-snap-{round}");
        Record("snapshot (action completed)", clock.Elapsed.TotalSeconds);
        var snapshot = (await api.ListDropletSnapshotsAsync(droplet.Id)).Single();

        var (fromSnapshot, readyFromSnapshot) = await CreateUntilSshAsync(api, key, registered, $"bench-from-{round}", snapshot.Id.ToString(CultureInfo.InvariantCulture));
        Record("droplet from snapshot -> SSH ready", readyFromSnapshot);
        var (trixie, readyTrixie) = await CreateUntilSshAsync(api, key, registered, $"bench-13-{round}", "debian-13-x64");
        Record("droplet create -> SSH ready (debian-13-x64)", readyTrixie);
        await api.DeleteDropletAsync(trixie.Id);
        await api.DeleteDropletAsync(droplet.Id);
        await api.DeleteDropletAsync(fromSnapshot.Id);
        await api.DeleteImageAsync(snapshot.Id);
    }

    Console.WriteLine("4 droplets at once");
    clock.Restart();
    var parallel = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => CreateUntilSshAsync(api, key, registered, $"bench-parallel-{i}", "debian-12-x64")));
    Record("4 droplets at once -> all SSH ready", clock.Elapsed.TotalSeconds);
    foreach (var (droplet, _) in parallel)
    {
        await api.DeleteDropletAsync(droplet.Id);
    }
}

Directory.Delete(data, true);
Console.WriteLine();
Console.WriteLine($"| measure ({Environment.ProcessorCount} cores) | runs | median | min | max |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var (what, seconds) in results)
{
    var sorted = seconds.Order().ToList();
    Console.WriteLine($"| {what} | {sorted.Count} | {sorted[sorted.Count / 2]:0.00} s | {sorted[0]:0.00} s | {sorted[^1]:0.00} s |");
}

static async Task<(DoDroplet Droplet, double Seconds)> CreateUntilSshAsync(DoApiClient api, SshKeyPair key, DoSshKey registered, string name, string image)
{
    var clock = Stopwatch.StartNew();
    var droplet = await api.CreateDropletAsync(new DoDropletCreateRequest { Name = name, Region = "nyc3", Size = "s-1vcpu-512mb-10gb", Image = image, SshKeys = [registered.Fingerprint] });
    while ((droplet = await api.GetDropletAsync(droplet.Id)).Status != "active")
    {
        await Task.Delay(20);
    }

    await SshReadyAsync(droplet, key, name);
    return (droplet, clock.Elapsed.TotalSeconds);
}

static async Task SshReadyAsync(DoDroplet droplet, SshKeyPair key, string name)
{
    using var session = await SshRemoteSession.ConnectAsync(
        new SshConnectOptions { Host = droplet.PublicIPv4!, Key = key, Label = name, ConnectTimeout = TimeSpan.FromSeconds(60) },
        new SilentLog());
    await session.RunAsync("true", new RemoteCommandSettings { LogOutput = false });
}

static async Task ActAsync(DoApiClient api, long dropletId, string type, string? name = null)
{
    var action = await api.PostDropletActionAsync(dropletId, new DoActionRequest { Type = type, Name = name });
    while (!(action = await api.GetActionAsync(action.Id)).IsCompleted)
    {
        if (action.IsErrored)
        {
            throw new InvalidOperationException($"{type} errored");
        }

        await Task.Delay(20);
    }
}

internal sealed class SilentLog : Cake.Core.Diagnostics.ICakeLog
{
    public Cake.Core.Diagnostics.Verbosity Verbosity { get; set; } = Cake.Core.Diagnostics.Verbosity.Quiet;

    public void Write(Cake.Core.Diagnostics.Verbosity verbosity, Cake.Core.Diagnostics.LogLevel level, string format, params object[] args)
    {
    }
}
