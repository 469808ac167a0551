using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Orphans;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Orphans;

/// <summary>Which resources the sweep calls orphans: by build, by age of the build's newest resource, never a running or kept build.</summary>
public sealed class OrphanSweeperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly IDoApiClient api = Substitute.For<IDoApiClient>();
    private readonly RecordingLog log = new();
    private readonly HashSet<string> runningHere = [];

    public OrphanSweeperTests()
    {
        api.DeleteDropletAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        api.DeleteSshKeyAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
        api.DeleteImageAsync(Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(true);
    }

    [Fact]
    public async Task Deletes_the_droplet_key_and_unfinished_snapshot_of_a_dead_build_and_nothing_else()
    {
        Given(
            droplets: [Droplet(1, "aaaaaaaa", Now.AddHours(-3)), Droplet(2, "bbbbbbbb", Now.AddHours(-3)), Droplet(3, "cccccccc", Now.AddMinutes(-5))],
            keys: [Key(11, "aaaaaaaa", Now.AddHours(-3)), Key(12, "bbbbbbbb", Now.AddHours(-3)), Key(13, "cccccccc", Now.AddMinutes(-6)),
                new DoSshKey { Id = 14, Name = "alice laptop" }],
            images: [Image(21, "aaaaaaaa", Now.AddHours(-2.5)), Image(22, null, Now.AddDays(-9))]);
        runningHere.Add("bbbbbbbb");

        var orphans = await Sweeper().SweepAsync(new OrphanCleanupSettings { OlderThan = TimeSpan.FromHours(2) }, CancellationToken.None);

        Assert.Equal([(OrphanKind.Droplet, 1L), (OrphanKind.SshKey, 11L), (OrphanKind.Snapshot, 21L)], orphans.Select(o => (o.Kind, o.Id)));
        Assert.All(orphans, o => Assert.True(o.Deleted));
        await api.Received(1).DeleteDropletAsync(1, Arg.Any<CancellationToken>());
        await api.DidNotReceive().DeleteDropletAsync(Arg.Is<long>(id => id != 1), Arg.Any<CancellationToken>());
        await api.Received(1).DeleteSshKeyAsync(11, Arg.Any<CancellationToken>());
        await api.DidNotReceive().DeleteSshKeyAsync(Arg.Is<long>(id => id != 11), Arg.Any<CancellationToken>());
        await api.Received(1).DeleteImageAsync(21, Arg.Any<CancellationToken>());
        Assert.Contains("aaaaaaaa", log.AllText);
    }

    [Fact]
    public async Task A_build_is_as_young_as_its_newest_resource()
    {
        // The key is old, but the build made a snapshot ten minutes ago: it was alive then.
        Given(droplets: [], keys: [Key(11, "aaaaaaaa", Now.AddHours(-3))], images: [Image(21, "aaaaaaaa", Now.AddMinutes(-10))]);

        var orphans = await Sweeper().SweepAsync(new OrphanCleanupSettings { OlderThan = TimeSpan.FromHours(1) }, CancellationToken.None);

        Assert.Empty(orphans);
        Assert.Contains("No orphans", log.AllText);
    }

    [Fact]
    public async Task A_kept_droplet_and_its_key_are_never_orphans_and_a_dry_run_deletes_nothing()
    {
        var kept = Droplet(1, "aaaaaaaa", Now.AddDays(-2));
        kept.Tags.Add(BuildIdentity.KeptTag);
        Given(droplets: [kept, Droplet(2, "bbbbbbbb", Now.AddDays(-2))],
            keys: [Key(11, "aaaaaaaa", Now.AddDays(-2)), Key(12, "bbbbbbbb", Now.AddDays(-2))], images: []);

        var orphans = await Sweeper().SweepAsync(new OrphanCleanupSettings { OlderThan = TimeSpan.Zero, DryRun = true }, CancellationToken.None);

        Assert.Equal([2L, 12L], orphans.Select(o => o.Id));
        Assert.All(orphans, o => Assert.False(o.Deleted));
        await api.DidNotReceiveWithAnyArgs().DeleteDropletAsync(default, default);
        await api.DidNotReceiveWithAnyArgs().DeleteSshKeyAsync(default, default);
        Assert.Contains("dry run", log.AllText);
    }

    [Fact]
    public async Task A_delete_that_fails_is_reported_after_the_others_were_tried()
    {
        Given(droplets: [Droplet(1, "aaaaaaaa", Now.AddHours(-3))], keys: [Key(11, "aaaaaaaa", Now.AddHours(-3))], images: []);
        api.DeleteDropletAsync(1, Arg.Any<CancellationToken>()).Returns<bool>(_
            => throw new DoApiException(HttpMethod.Delete, "v2/droplets/1", System.Net.HttpStatusCode.Forbidden, "forbidden", "You are not authorized", null));

        var failure = await Assert.ThrowsAsync<CleanupIncompleteException>(()
            => Sweeper().SweepAsync(new OrphanCleanupSettings { OlderThan = TimeSpan.Zero }, CancellationToken.None));

        Assert.Contains("1 of 2", failure.Message);
        await api.Received(1).DeleteSshKeyAsync(11, Arg.Any<CancellationToken>());
    }

    [Fact]
    public void A_negative_age_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<DoSettingsException>(()
            => OrphanSweeper.CheckSettings(new OrphanCleanupSettings { OlderThan = TimeSpan.FromMinutes(-1) }, "OrphanCleanupSettings."));
        Assert.Contains("OrphanCleanupSettings.OlderThan", e.Message);
    }

    private OrphanSweeper Sweeper() => new(api, log, new FixedClock(Now), runningHere.Contains);

    private void Given(List<DoDroplet> droplets, List<DoSshKey> keys, List<DoImage> images)
    {
        api.ListDropletsByTagAsync(BuildIdentity.AddinTag, Arg.Any<CancellationToken>()).Returns(droplets);
        api.ListSshKeysAsync(Arg.Any<CancellationToken>()).Returns(keys);
        api.ListPrivateImagesAsync(Arg.Any<CancellationToken>()).Returns(images);
    }

    private static DoDroplet Droplet(long id, string build, DateTimeOffset created) =>
        new() { Id = id, Name = $"build-{build}", CreatedAt = created, Tags = [BuildIdentity.AddinTag, $"{BuildIdentity.AddinTag}-{build}"] };

    private static DoSshKey Key(long id, string build, DateTimeOffset started) =>
        new() { Id = id, Name = new BuildIdentity(build, started).KeyName };

    private static DoImage Image(long id, string? build, DateTimeOffset created) =>
        new() { Id = id, Name = $"image-{id}", CreatedAt = created, Tags = build is null ? [] : [$"{BuildIdentity.AddinTag}-{build}"] };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
