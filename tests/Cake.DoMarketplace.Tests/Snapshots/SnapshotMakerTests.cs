using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Snapshots;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Snapshots;

public sealed class SnapshotMakerTests
{
    private readonly IDoApiClient api = Substitute.For<IDoApiClient>();
    private readonly RecordingLog log = new();
    private readonly List<string> actions = [];
    private string dropletStatus = "active";

    public SnapshotMakerTests()
    {
        api.GetDropletAsync(9, Arg.Any<CancellationToken>()).Returns(_ => new DoDroplet { Id = 9, Status = dropletStatus, SnapshotIds = [1] });
        api.PostDropletActionAsync(9, Arg.Any<DoActionRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var type = call.Arg<DoActionRequest>().Type;
            actions.Add(type);
            if (type is "shutdown" or "power_off" && ShutdownWorks || type == "power_off")
            {
                dropletStatus = "off";
            }

            return new DoAction { Id = 100 + actions.Count, Type = type, Status = "in-progress" };
        });
        api.GetDropletActionAsync(9, Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(call
            => new DoAction { Id = call.ArgAt<long>(1), Status = SnapshotActionStatus });
        api.ListDropletSnapshotsAsync(9, Arg.Any<CancellationToken>()).Returns(
            [new DoSnapshotInfo { Id = 1, Name = "older" }],
            [new DoSnapshotInfo { Id = 1, Name = "older" }, new DoSnapshotInfo { Id = 777, Name = "myapp-1.0", Regions = ["nyc3"] }]);
        api.ListRegionsAsync(Arg.Any<CancellationToken>()).Returns(
            [new DoRegion { Slug = "nyc3", Available = true }, new DoRegion { Slug = "fra1", Available = true }]);
        api.DeleteImageAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        api.DeleteDropletAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        api.DeleteSshKeyAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
    }

    private bool ShutdownWorks { get; set; } = true;

    private string SnapshotActionStatus { get; set; } = "completed";

    private BuildDroplet Droplet()
        => new(9, "build", "192.0.2.10", "nyc3", "debian-12-x64", "s-1vcpu-512mb-10gb", new FakeSession()) { Api = api, TemporaryKeyId = 55 };

    [Fact]
    public async Task Shuts_down_snapshots_finds_the_new_image_and_destroys_the_droplet()
    {
        var result = await new SnapshotMaker(api, log).SnapshotAsync(Droplet(), new SnapshotSettings { Name = "myapp-1.0", DestroyDroplet = true },
            CancellationToken.None);

        Assert.Equal(["shutdown", "snapshot"], actions);
        Assert.Equal(777, result.ImageId);
        Assert.Equal(["nyc3"], result.Regions);
        await api.Received(1).DeleteDropletAsync(9, Arg.Any<CancellationToken>());
        await api.Received(1).DeleteSshKeyAsync(55, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_droplet_unlocked_with_a_new_snapshot_id_is_the_snapshot_without_the_action_or_the_list()
    {
        api.GetDropletAsync(9, Arg.Any<CancellationToken>()).Returns(_
            => new DoDroplet { Id = 9, Status = dropletStatus, SnapshotIds = actions.Contains("snapshot") ? [1, 888] : [1] });

        var result = await new SnapshotMaker(api, log).SnapshotAsync(Droplet(), new SnapshotSettings { Name = "myapp-1.0" }, CancellationToken.None);

        Assert.Equal(888, result.ImageId);
        Assert.Equal("myapp-1.0", result.Name);
        Assert.Equal(["nyc3"], result.Regions);
        await api.DidNotReceiveWithAnyArgs().GetDropletActionAsync(default, default, default);
        await api.DidNotReceiveWithAnyArgs().ListDropletSnapshotsAsync(default, default);
    }

    [Fact]
    public async Task A_droplet_known_to_run_gets_its_shutdown_without_a_read_first()
    {
        await new SnapshotMaker(api, log).SnapshotAsync(Droplet(), new SnapshotSettings { Name = "myapp-1.0" }, CancellationToken.None, running: true);

        Assert.Equal(nameof(IDoApiClient.PostDropletActionAsync), api.ReceivedCalls().First().GetMethodInfo().Name);
        Assert.Equal(["shutdown", "snapshot"], actions);
    }

    [Fact]
    public async Task An_already_off_droplet_is_snapshotted_without_a_shutdown()
    {
        dropletStatus = "off";

        await new SnapshotMaker(api, log).SnapshotAsync(Droplet(), new SnapshotSettings { Name = "myapp-1.0" }, CancellationToken.None);

        Assert.Equal(["snapshot"], actions);
        Assert.Equal(nameof(IDoApiClient.GetDropletAsync), api.ReceivedCalls().First().GetMethodInfo().Name);
    }

    [Fact]
    public async Task Falls_back_to_power_off_when_the_shutdown_times_out()
    {
        ShutdownWorks = false;

        var result = await new SnapshotMaker(api, log).SnapshotAsync(Droplet(),
            new SnapshotSettings { Name = "myapp-1.0", ShutdownTimeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);

        Assert.Equal(["shutdown", "power_off", "snapshot"], actions);
        Assert.Equal(777, result.ImageId);
        Assert.Contains("powering it off", log.AllText);
    }

    [Fact]
    public async Task An_errored_snapshot_action_fails_at_once_with_its_id()
    {
        SnapshotActionStatus = "errored";

        var error = await Assert.ThrowsAsync<ActionErroredException>(() =>
            new SnapshotMaker(api, log).SnapshotAsync(Droplet(), new SnapshotSettings { Name = "myapp-1.0" }, CancellationToken.None));

        Assert.Contains("action 102", error.Message);
        // Polled once and given up on, not polled until the 60-minute SnapshotTimeout.
        Assert.Single(api.ReceivedCalls(), c => c.GetMethodInfo().Name == nameof(IDoApiClient.GetDropletActionAsync) && (long)c.GetArguments()[1]! == 102);
    }

    [Fact]
    public async Task A_failed_transfer_deletes_the_new_snapshot_unless_asked_to_keep_it()
    {
        api.TransferImageAsync(777, "fra1", Arg.Any<CancellationToken>()).Returns(new DoAction { Id = 500, Status = "in-progress", Type = "transfer" });
        api.GetImageActionAsync(777, 500, Arg.Any<CancellationToken>()).Returns(new DoAction { Id = 500, Status = "errored", Type = "transfer" });
        var settings = new SnapshotSettings { Name = "myapp-1.0" };
        settings.TransferRegions.Add("fra1");

        await Assert.ThrowsAsync<ActionErroredException>(() => new SnapshotMaker(api, log).SnapshotAsync(Droplet(), settings, CancellationToken.None));

        await api.Received(1).DeleteImageAsync(777, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_snapshot_delete_that_throws_after_a_failed_transfer_leaves_the_transfer_error_as_it_was_with_the_clean_up_attached()
    {
        api.TransferImageAsync(777, "fra1", Arg.Any<CancellationToken>()).Returns(new DoAction { Id = 500, Status = "in-progress", Type = "transfer" });
        api.GetImageActionAsync(777, 500, Arg.Any<CancellationToken>()).Returns(new DoAction { Id = 500, Status = "errored", Type = "transfer" });
        api.DeleteImageAsync(777, Arg.Any<CancellationToken>()).Returns<bool>(_ => throw new InvalidOperationException("a bug in the delete"));
        var settings = new SnapshotSettings { Name = "myapp-1.0" };
        settings.TransferRegions.Add("fra1");

        var maker = new SnapshotMaker(api, log);

        var error = await Assert.ThrowsAsync<ActionErroredException>(() => maker.SnapshotAsync(Droplet(), settings, CancellationToken.None));

        Assert.Equal(["delete snapshot 777: a bug in the delete"], (string[])error.Data[CleanupGuard.FailuresKey]!);
        Assert.Contains("Clean-up 'delete snapshot 777' failed: a bug in the delete", log.AllText);
        Assert.Contains($"1 clean-up(s) failed after this error: {error.Message}", log.AllText);
    }

    [Fact]
    public async Task A_pending_event_refusal_is_retried_on_the_pending_event_schedule_once_the_droplet_is_unlocked()
    {
        // The droplet reads unlocked, yet DigitalOcean refuses the action while its last event is pending: the resend
        // waits PollSchedule.PendingEvent's first delay instead of following at once.
        var refusals = 2;
        api.PostDropletActionAsync(9, Arg.Any<DoActionRequest>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var type = call.Arg<DoActionRequest>().Type;
            if (type == "shutdown" && refusals-- > 0)
            {
                throw new DoApiException(HttpMethod.Post, "/v2/droplets/9/actions", (System.Net.HttpStatusCode)422, "unprocessable_entity",
                    "Droplet already has a pending event.", "r");
            }

            actions.Add(type);
            dropletStatus = type == "shutdown" ? "off" : dropletStatus;
            return new DoAction { Id = 100 + actions.Count, Type = type, Status = "in-progress" };
        });

        var result = await new SnapshotMaker(api, log).SnapshotAsync(Droplet(), new SnapshotSettings { Name = "myapp-1.0" }, CancellationToken.None,
            running: true);

        Assert.Equal(777, result.ImageId);
        Assert.Equal(["shutdown", "snapshot"], actions);
        Assert.Contains("Droplet 9 has a pending event; sending shutdown again in 1s, once it is unlocked", log.AllText);
        Assert.Contains("Droplet 9 has a pending event; sending shutdown again in 2s, once it is unlocked", log.AllText);
    }

    [Fact]
    public async Task Transfer_regions_are_checked_before_the_droplet_is_touched()
    {
        var settings = new SnapshotSettings();
        settings.TransferRegions.Add("mars1");

        var error = await Assert.ThrowsAsync<DoSettingsException>(() => new SnapshotMaker(api, log).SnapshotAsync(Droplet(), settings, CancellationToken.None));

        Assert.Equal("SnapshotSettings.TransferRegions", error.Setting);
        Assert.Empty(actions);
    }

    [Fact]
    public void Duplicate_regions_and_zero_timeouts_are_refused_by_name()
    {
        var settings = new SnapshotSettings();
        settings.TransferRegions.Add("fra1");
        settings.TransferRegions.Add("FRA1");
        Assert.Equal("SnapshotSettings.TransferRegions", Assert.Throws<DoSettingsException>(() => SnapshotMaker.CheckLocally(settings)).Setting);
        Assert.Equal("SnapshotSettings.SnapshotTimeout",
            Assert.Throws<DoSettingsException>(() => SnapshotMaker.CheckLocally(new SnapshotSettings { SnapshotTimeout = TimeSpan.FromSeconds(-1) })).Setting);
    }
}
