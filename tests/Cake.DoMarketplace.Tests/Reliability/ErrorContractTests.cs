using System.Net;
using System.Net.Sockets;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Snapshots;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// The error contract under every fault kind of the local cloud: the domain workers behind the aliases (launch, remote
/// command, package update, snapshot), each case going only as far as its fault bites, end either well or in a
/// DoMarketplaceException — never an HttpRequestException, a TaskCanceledException or an SSH.NET exception. The API
/// client retries once and quickly, and the waits are seconds, so that each case takes seconds.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ErrorContractTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    /// <summary>How far a case drives the workers: a fault that bites at launch needs no snapshot.</summary>
    public enum Reach
    {
        Launch,
        Command,
        Packages,
        Snapshot,
    }

    public static TheoryData<string, string, Reach> Faults()
    {
        var cases = new TheoryData<string, string, Reach>
        {
            // name, faults (LOCAL_CLOUD_FAULTS syntax), how far the workers go
            { "429 on every request", "TooManyRequestsRate=1", Reach.Launch },
            { "5xx on every request", "ServerErrorRate=1", Reach.Launch },
            { "every create answer lost", "LoseCreateResponses=10", Reach.Command },
            { "stuck in new", "StuckInNew=true", Reach.Launch },
            // Refused a little longer than the 5 s SSH timeout.
            { "SSH refused after active", "SshRefusedAfterActive=12", Reach.Launch },
            { "package manager busy", "PackageManagerBusyAfterBoot=600", Reach.Packages },
            { "slow actions", "ActionDelay=10", Reach.Snapshot },
            { "errored snapshot", "ErroredActions=snapshot", Reach.Snapshot },
            { "ignored shutdown", "IgnoreShutdown=true", Reach.Snapshot },
            { "snapshot listed late", "SnapshotListLag=60", Reach.Snapshot },
        };
        foreach (var kind in MalformedAnswerKinds.All)
        {
            cases.Add($"every answer {kind}", $"MalformedAnswers={kind}", Reach.Launch);
        }

        return cases;
    }

    [Fact]
    public void Every_fault_kind_of_the_local_cloud_has_a_case()
    {
        var named = Faults().Select(c => (string)c[1]).ToList();
        var kinds = typeof(FaultOptions).GetProperties()
            .Select(p => p.Name)
            .Where(p
                => p is not (
                nameof(FaultOptions.Seed) or nameof(FaultOptions.MalformedRate) or nameof(FaultOptions.MalformedCount) or nameof(FaultOptions.MalformedPaths)));

        Assert.All(kinds, kind => Assert.Contains(named, n => n.StartsWith(kind + "=", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_ends_well_or_in_a_DoMarketplaceException(string name, string faults, Reach reach)
    {
        using var api = Api(cloud.BaseUrl);
        var log = new RecordingLog();
        await FaultControl.SetAsync(cloud, FaultOptions.Parse(faults));
        var neverActive = faults.StartsWith(nameof(FaultOptions.StuckInNew), StringComparison.Ordinal);
        var (error, reached, droplet, image) = await DriveAsync(api, log, "contract-" + string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant(),
            reach, neverActive);
        await FaultControl.SetAsync(cloud, new FaultOptions());
        output.WriteLine($"{name}: reached {reached}, {(error is null ? "ended well" : $"{error.GetType().Name}: {error.Message}")}");

        await CleanUpAsync(api, log, droplet, image);
        Assert.True(error is null or DoMarketplaceException, $"{name}: {error}");
        Assert.True(reached == reach, $"{name}: the workers stopped at {reached}, before the fault could bite at {reach}: {error?.Message}");
        Assert.DoesNotContain(LocalCloudFixture.Token, error?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal((0, 0), await LeftAsync(api));
    }

    [Fact]
    public async Task An_SSH_refusal_ends_with_its_droplet_so_the_next_droplet_given_that_address_is_not_refused()
    {
        using var api = Api(cloud.BaseUrl);
        await FaultControl.SetAsync(cloud, FaultOptions.Parse("SshRefusedAfterActive=600"));
        var (error, _, _, _) = await DriveAsync(api, new RecordingLog(), "contract-refusal-ends", Reach.Launch);
        await FaultControl.SetAsync(cloud, new FaultOptions());

        Assert.IsAssignableFrom<DoMarketplaceException>(error);
        Assert.Equal((0, 0), await LeftAsync(api));
        var refused = await ProcessRunner.RunAsync("nft", ["list", "set", "ip", cloud.NetworkTable, "ssh_refused"], "/", TimeSpan.FromSeconds(30));
        Assert.Equal(0, refused.ExitCode);
        Assert.Contains("ssh_refused", refused.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("elements", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_no_one_listens_at_is_a_transport_error_naming_the_request()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var api = Api(new Uri($"http://127.0.0.1:{port}/"));

        var (error, _, _, _) = await DriveAsync(api, new RecordingLog(), "contract-unreachable", Reach.Launch);

        var transport = Assert.IsType<DoApiTransportException>(error);
        Assert.False(transport.OutcomeUnknown);
        Assert.IsType<HttpRequestException>(transport.InnerException);
        Assert.StartsWith($"DigitalOcean API {transport.Method} {transport.Path} got no answer: the connection failed", transport.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_API_that_never_answers_is_a_timed_out_transport_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = AcceptSilentlyAsync(listener);
        using var api = Api(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"), TimeSpan.FromSeconds(1));

        var (error, _, _, _) = await DriveAsync(api, new RecordingLog(), "contract-silent", Reach.Launch);
        listener.Stop();
        await accepting;

        var transport = Assert.IsType<DoApiTransportException>(error);
        Assert.True(transport.TimedOut);
        Assert.Contains("none came within 1.0s (DoApiOptions.RequestTimeout)", transport.Message, StringComparison.Ordinal);
    }

    private static DoApiClient Api(Uri baseUrl, TimeSpan? requestTimeout = null) => new(new DoApiOptions
    {
        Token = LocalCloudFixture.Token,
        BaseUrl = baseUrl,
        MaxRetries = 1,
        RetryWaitMin = TimeSpan.FromMilliseconds(50),
        RetryWaitMax = TimeSpan.FromMilliseconds(200),
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
    });

    /// <summary>Keeps every connection open without a byte of answer until the listener stops.</summary>
    private static async Task AcceptSilentlyAsync(TcpListener listener)
    {
        var held = new List<TcpClient>();
        try
        {
            while (true)
            {
                held.Add(await listener.AcceptTcpClientAsync());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            held.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// Runs the workers as a build does, as far as <paramref name="reach"/>; returns the first error, the stage it came
    /// from (or the last stage run), and what was made. Only a droplet meant never to become active gets a short
    /// active timeout: elsewhere a boot slowed by a loaded machine is no fault, and would end the case before its fault bites.
    /// </summary>
    private static async Task<(Exception? Error, Reach Reached, BuildDroplet? Droplet, long? Image)> DriveAsync(
        DoApiClient api, RecordingLog log, string name, Reach reach, bool neverActive = false)
    {
        BuildDroplet? droplet = null;
        long? image = null;
        var reached = Reach.Launch;
        try
        {
            var settings = new BuildDropletSettings
            {
                Name = name,
                ActiveTimeout = TimeSpan.FromSeconds(neverActive ? 8 : 120),
                SshTimeout = TimeSpan.FromSeconds(reach == Reach.Launch ? 5 : 60),
            };
            BuildDropletPlan.CheckLocally(settings);
            var launcher = new BuildDropletLauncher(api, log, async (options, t) => await SshRemoteSession.ConnectAsync(options, log, t));
            droplet = await launcher.LaunchAsync(settings, CancellationToken.None);
            if (reach >= Reach.Command)
            {
                reached = Reach.Command;
                await droplet.Session.RunAsync("true", new RemoteCommandSettings(), CancellationToken.None);
            }

            if (reach == Reach.Packages)
            {
                reached = Reach.Packages;
                await new PackageManager(droplet.Session, log).UpdateAsync(new PackageSettings { LockTimeout = TimeSpan.FromSeconds(3) },
                    CancellationToken.None);
            }

            if (reach == Reach.Snapshot)
            {
                reached = Reach.Snapshot;
                var snapshot = new SnapshotSettings
                {
                    Name = name + "-image",
                    ShutdownTimeout = TimeSpan.FromSeconds(4),
                    PowerOffTimeout = TimeSpan.FromSeconds(4),
                    SnapshotTimeout = TimeSpan.FromSeconds(30),
                    SnapshotListTimeout = TimeSpan.FromSeconds(4),
                };
                image = (await new SnapshotMaker(api, log).SnapshotAsync(droplet, snapshot, CancellationToken.None)).ImageId;
            }

            return (null, reached, droplet, image);
        }
        catch (Exception e)
        {
            return (e, reached, droplet, image);
        }
    }

    private static async Task CleanUpAsync(DoApiClient api, RecordingLog log, BuildDroplet? droplet, long? image)
    {
        if (droplet is not null)
        {
            await new BuildDropletDestroyer(log).DestroyAsync(droplet, CancellationToken.None);
        }

        if (image is { } id)
        {
            Assert.True(await api.DeleteImageAsync(id));
        }

        // A launch that failed cleaned up after itself; a snapshot kept on failure is the build's to delete.
        foreach (var kept in (await api.ListPrivateImagesAsync()).Where(i => i.Name.StartsWith("contract-", StringComparison.Ordinal)))
        {
            await api.DeleteImageAsync(kept.Id);
        }
    }

    private static async Task<(int Droplets, int TemporaryKeys)> LeftAsync(DoApiClient api) =>
        ((await api.ListDropletsByTagAsync("cake-domarketplace")).Count,
         (await api.ListSshKeysAsync()).Count(k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal)));
}
