using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Ssh;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>
/// DoBuildImage's clean-ups on fakes, failed in every way a call can fail (a client timeout, a cancellation, a transport
/// error, an API error, a bug), and a stop signal during a step: every clean-up runs, and the user is told the build's
/// own error first, the clean-ups' failures after it.
/// </summary>
public sealed class BuildImageCleanupFailureTests : IDisposable
{
    private const string Setup = BuildImageFailureTests.Setup;
    private const string Snapshot = BuildImageFailureTests.Snapshot;
    private const string SnapshotTagged = BuildImageFailureTests.SnapshotTagged;
    private const string DropletDeletes = BuildImageFailureTests.DropletDeletes;

    private readonly string work = Directory.CreateTempSubdirectory("cdm-cleanups-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    public static TheoryData<string> CleanupFaults => new() { "client timeout", "cancellation", "transport", "raw transport", "api", "bug" };

    [Theory]
    [MemberData(nameof(CleanupFaults))]
    public void A_clean_up_that_throws_does_not_stop_the_next_nor_hide_the_error_that_started_them(string fault)
    {
        var cloud = new FakeBuildCloud(work);
        var settings = FakeBuildCloud.Settings();
        var original = BuildImageFailureTests.Fail(cloud, settings, SnapshotTagged);
        cloud.Api.DeleteImageAsync(FakeBuildCloud.ImageId, Arg.Any<CancellationToken>()).ThrowsAsync(Fault(fault));

        var error = Assert.Throws<DoApiException>(() => cloud.Pipeline().Build(settings));

        Assert.Same(original, error);
        Assert.Equal(DropletDeletes, string.Join(",", cloud.Deletes)); // the droplet's clean-up ran after the snapshot's failed
        var lines = cloud.Log.Lines.Select(l => l.Text).ToList();
        var stepFailed = lines.FindIndex(l => l.Contains($"] {Snapshot}: FAILED: ", StringComparison.Ordinal));
        var cleanupFailed = lines.FindIndex(l => l.StartsWith($"Clean-up '{Snapshot}' failed: ", StringComparison.Ordinal));
        var concluded = lines.FindIndex(l => l == $"1 clean-up(s) failed after this error: {original.Message}");
        Assert.True(stepFailed >= 0 && stepFailed < cleanupFailed && cleanupFailed < concluded, cloud.Log.AllText);
        Assert.StartsWith($"{Snapshot}: ", Assert.Single((string[])error.Data[CleanupGuard.FailuresKey]!));
    }

    [Fact]
    public void Every_clean_up_that_fails_is_reported_in_the_order_they_ran_and_the_key_still_goes()
    {
        var cloud = new FakeBuildCloud(work);
        var settings = FakeBuildCloud.Settings();
        var original = BuildImageFailureTests.Fail(cloud, settings, SnapshotTagged);
        cloud.Api.DeleteImageAsync(FakeBuildCloud.ImageId, Arg.Any<CancellationToken>()).ThrowsAsync(
            new DoApiTransportException("DELETE", "/v2/images/777", timedOutAfter: null, outcomeUnknown: true, new HttpRequestException("connection reset")));
        cloud.Api.DeleteDropletAsync(FakeBuildCloud.DropletId, Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("a bug in the delete"));

        var error = Assert.Throws<DoApiException>(() => cloud.Pipeline().Build(settings));

        Assert.Same(original, error);
        Assert.Equal(["delete key 55"], cloud.Deletes); // the failed deletes threw before they were recorded
        Assert.Equal(
            [
                $"{Snapshot}: Could not delete image 777; see the errors above.",
                "Create build droplet: Could not remove everything of droplet 9 'fake-build' (192.0.2.10, nyc3, s-1vcpu-1gb, debian-12-x64); "
                + "see the errors above for what is left and how to delete it.",
            ],
            (string[])error.Data[CleanupGuard.FailuresKey]!);
        Assert.Matches("Could not delete snapshot 777: .*DELETE /v2/images/777.*connection reset", cloud.Log.AllText);
        Assert.Contains("Clean-up 'delete droplet 9' failed: a bug in the delete", cloud.Log.AllText, StringComparison.Ordinal);
        Assert.Contains("Deleted temporary SSH key 55", cloud.Log.AllText, StringComparison.Ordinal);
        Assert.Contains($"2 clean-up(s) failed after this error: {original.Message}", cloud.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_launch_whose_droplet_delete_throws_still_deletes_its_key_and_reports_the_launch_error()
    {
        var cloud = new FakeBuildCloud(work);
        var settings = FakeBuildCloud.Settings();
        var original = BuildImageFailureTests.Fail(cloud, settings, "Create build droplet");
        cloud.Api.DeleteDropletAsync(FakeBuildCloud.DropletId, Arg.Any<CancellationToken>()).ThrowsAsync(new OperationCanceledException("cancelled by a bug"));

        var error = Assert.ThrowsAny<Exception>(() => cloud.Pipeline().Build(settings));

        Assert.Same(original, error);
        Assert.Equal(["delete key 55"], cloud.Deletes);
        Assert.Equal(["delete droplet 9: cancelled by a bug"], (string[])error.Data[CleanupGuard.FailuresKey]!);
        Assert.Contains("1 clean-up(s) failed after this error: ", cloud.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_signal_cancels_the_running_step_its_clean_ups_run_uncancelled_and_the_next_run_starts_fresh()
    {
        var cloud = new FakeBuildCloud(work);
        var started = new TaskCompletionSource();
        var settings = FakeBuildCloud.Settings(new RemoteStep(Setup, async (_, t) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, t);
            return null;
        }));

        var build = Task.Run(() => cloud.Pipeline().Build(settings));
        await started.Task;
        Assert.True(cloud.Signals.Signal("SIGTERM"));

        var stopped = await Assert.ThrowsAsync<BuildStoppedException>(() => build);
        Assert.Equal("SIGTERM", stopped.Signal);
        Assert.IsAssignableFrom<OperationCanceledException>(stopped.InnerException);
        Assert.Equal(DropletDeletes, string.Join(",", cloud.Deletes));
        Assert.Empty(cloud.CancelledDeletes);
        const string Stopping = "SIGTERM received: the build stops; its clean-ups run now (a second signal ends the process at once)";
        Assert.Contains(Stopping, cloud.Log.AllText, StringComparison.Ordinal);
        Assert.False(cloud.Signals.Signal("SIGTERM")); // no run left to cancel: the process ends as usual
        using var next = cloud.Signals.Begin();
        Assert.False(next.Token.IsCancellationRequested);
    }

    private static Exception Fault(string kind) => kind switch
    {
        "client timeout" => new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."),
        "cancellation" => new OperationCanceledException("The operation was canceled."),
        "transport"
            => new DoApiTransportException("DELETE", "/v2/images/777", timedOutAfter: null, outcomeUnknown: false,
            new HttpRequestException("Connection refused")),
        "raw transport" => new HttpRequestException("Connection refused"),
        "api" => new DoApiException(HttpMethod.Delete, "/v2/images/777", System.Net.HttpStatusCode.InternalServerError, "server_error", "Server Error", "r-1"),
        _ => new InvalidOperationException("a bug"),
    };
}
