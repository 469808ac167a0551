using System.Collections.Concurrent;
using Cake.Core;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>
/// DoBuildImage's outside world as NSubstitute fakes: a DigitalOcean that creates droplet 9 with key 55, powers it off
/// and snapshots it as image 777, and an SSH session that answers the build's scripts. <see cref="Calls"/> records the
/// requests that change something (deletes, tags), in order, so tests read which clean-ups ran and in which order.
/// </summary>
internal sealed class FakeBuildCloud
{
    public const long DropletId = 9;
    public const long KeyId = 55;
    public const long ImageId = 777;

    private readonly ConcurrentQueue<string> calls = new();
    private bool snapshotTaken;
    private string status = "new";

    /// <summary>A cloud whose droplet, key and image ids are offset by 1000 × <paramref name="variant"/> (variant 0: 9, 55, 777).</summary>
    public FakeBuildCloud(string workingDirectory, int variant = 0)
    {
        OwnDropletId = DropletId + (1000 * variant);
        OwnKeyId = KeyId + (1000 * variant);
        OwnImageId = ImageId + (1000 * variant);
        Environment = TestCakeContext.Create(Log, workingDirectory).Environment;
        Api.BaseUrl.Returns(new Uri("https://fake.invalid/"));
        Api.ListSizesAsync(Arg.Any<CancellationToken>()).Returns(
            [new DoSize { Slug = "s-1vcpu-1gb", Available = true, Regions = ["nyc3"], PriceMonthly = 6, Memory = 1024, Disk = 25 }]);
        Api.GetImageAsync("debian-12-x64", Arg.Any<CancellationToken>()).Returns(
            new DoImage { Id = 1, Slug = "debian-12-x64", Distribution = "Debian", Name = "12 x64", Regions = ["nyc3"], Type = "base", Public = true });
        Api.FindMissingReadScopesAsync(Arg.Any<IEnumerable<string>>(), Arg.Any<CancellationToken>()).Returns(Array.Empty<string>());
        Api.CreateSshKeyAsync(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => new DoSshKey { Id = OwnKeyId, Name = call.ArgAt<string>(0), PublicKey = call.ArgAt<string>(1) });
        Api.CreateDropletAsync(Arg.Any<DoDropletCreateRequest>(), Arg.Any<CancellationToken>())
            .Returns(_ => new DoDroplet { Id = OwnDropletId, Name = "fake-build", Status = "new" });
        Api.GetDropletAsync(OwnDropletId, Arg.Any<CancellationToken>()).Returns(_ => Droplet());
        Api.PostDropletActionAsync(OwnDropletId, Arg.Any<DoActionRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var type = call.Arg<DoActionRequest>().Type;
            calls.Enqueue($"droplet action {type}");
            (status, snapshotTaken) = type == "snapshot" ? (status, true) : ("off", snapshotTaken);
            return new DoAction { Id = 100, Type = type, Status = "in-progress" };
        });
        Api.TagResourcesAsync(Arg.Any<string>(), Arg.Any<IEnumerable<DoTaggedResource>>(), Arg.Any<CancellationToken>())
            .Returns(call => Record($"tag {Describe(call.Arg<IEnumerable<DoTaggedResource>>())}"));
        Api.UntagResourcesAsync(Arg.Any<string>(), Arg.Any<IEnumerable<DoTaggedResource>>(), Arg.Any<CancellationToken>())
            .Returns(call => Record($"untag {Describe(call.Arg<IEnumerable<DoTaggedResource>>())}"));
        Api.DeleteDropletAsync(Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(call => Deleted($"delete droplet {call.ArgAt<long>(0)}", call.ArgAt<CancellationToken>(1)));
        Api.DeleteSshKeyAsync(Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(call => Deleted($"delete key {call.ArgAt<long>(0)}", call.ArgAt<CancellationToken>(1)));
        Api.DeleteImageAsync(Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(call => Deleted($"delete image {call.ArgAt<long>(0)}", call.ArgAt<CancellationToken>(1)));
        Session
            .Reply("cloud-init", "status: done\n")
            .Reply("package_lock_holders && echo", "package locks checked\n")
            .Reply("cat /etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n")
            .Reply("first-boot readiness facts", string.Empty)
            .Reply("validation facts", string.Join('\n',
                "os\tDebian GNU/Linux\t12\tdebian\t",
                "cloudinit\t/usr/bin/cloud-init",
                "tmp_mode\t1777",
                "opt_digitalocean\tabsent",
                "updates_checked\t2026-12-05T10:00:00Z\trefreshed\tok",
                "root_password\tlocked",
                "root_history\t0",
                string.Empty));
    }

    public long OwnDropletId { get; }

    public long OwnKeyId { get; }

    public long OwnImageId { get; }

    public RecordingLog Log { get; } = new();

    public ICakeEnvironment Environment { get; }

    public IDoApiClient Api { get; } = Substitute.For<IDoApiClient>();

    public FakeSession Session { get; } = new() { Label = "fake-build" };

    /// <summary>The cancellation the build's run takes its token from; a test signals it as SIGTERM would.</summary>
    public SignalCancellation Signals { get; } = new();

    /// <summary>Deletes, tags and droplet actions, in the order they were asked for.</summary>
    public IReadOnlyList<string> Calls => [.. calls];

    /// <summary>The deletes only: what the clean-ups removed, in order.</summary>
    public IReadOnlyList<string> Deletes => Calls.Where(c => c.StartsWith("delete ", StringComparison.Ordinal)).ToList();

    /// <summary>Deletes asked for with a cancelled token (a clean-up that would not have run).</summary>
    public ConcurrentQueue<string> CancelledDeletes { get; } = new();

    /// <summary>Thrown by the SSH connect of the build droplet when set.</summary>
    public Exception? ConnectFailure { get; set; }

    public MarketplaceImagePipeline Pipeline() =>
        new(new Cake.Core.IO.FileSystem(), Environment, Log, new PipelineServices((_, _) => Api, _ => (_, _) => OpenAsync(), Signals));

    /// <summary>A pipeline writing to <paramref name="log"/> and cancelled by <paramref name="signals"/>, as one variant of several.</summary>
    public MarketplaceImagePipeline Pipeline(Cake.Core.Diagnostics.ICakeLog log, SignalCancellation signals) =>
        new(new Cake.Core.IO.FileSystem(), Environment, log, new PipelineServices((_, _) => Api, _ => (_, _) => OpenAsync(), signals));

    private Task<IRemoteSession> OpenAsync() =>
        ConnectFailure is null ? Task.FromResult<IRemoteSession>(Session) : Task.FromException<IRemoteSession>(ConnectFailure);

    /// <summary>The smallest build: a droplet, one step of the caller's own, the image rules, a snapshot; no image test.</summary>
    public static MarketplaceImageSettings Settings(params RemoteStep[] steps)
    {
        var settings = new MarketplaceImageSettings
        {
            UpdatePackages = false,
            TestImage = false,
            RemoteSteps = steps.Length > 0 ? steps : [new RemoteStep("Run the app's setup", (_, _) => Task.FromResult<string?>("set up"))],
        };
        settings.Droplet.Name = "fake-build";
        settings.Droplet.Token = "dop_v1_" + new string('a', 64);
        settings.Droplet.ApiUrl = new Uri("https://fake.invalid/");
        settings.Validation.FailOnError = false;
        settings.Validation.RefreshPackageIndex = false;
        settings.Snapshot.Name = "fake-image";
        return settings;
    }

    private static string Describe(IEnumerable<DoTaggedResource> resources) => string.Join(",", resources.Select(r => $"{r.ResourceType} {r.ResourceId}"));

    private DoDroplet Droplet()
    {
        var droplet = new DoDroplet { Id = OwnDropletId, Name = "fake-build", Status = status == "new" ? "active" : status };
        droplet.Networks.V4.Add(new DoNetworkAddress { IpAddress = "192.0.2.10", Type = "public" });
        if (snapshotTaken)
        {
            droplet.SnapshotIds.Add(OwnImageId);
        }

        return droplet;
    }

    private Task Record(string call)
    {
        calls.Enqueue(call);
        return Task.CompletedTask;
    }

    private Task<bool> Deleted(string call, CancellationToken cancellationToken)
    {
        calls.Enqueue(call);
        if (cancellationToken.IsCancellationRequested)
        {
            CancelledDeletes.Enqueue(call);
        }

        return Task.FromResult(true);
    }
}
