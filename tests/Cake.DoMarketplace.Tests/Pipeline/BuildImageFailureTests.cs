using System.Net;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Ssh;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Cake.DoMarketplace.Tests.Pipeline;

/// <summary>
/// DoBuildImage on fakes, each step failed in turn, then each clean-up: which clean-ups ran, in which order, and what the
/// user is told — the step's own error, never a clean-up's instead of it.
/// </summary>
public sealed class BuildImageFailureTests : IDisposable
{
    internal const string Setup = "Run the app's setup";
    internal const string Snapshot = "Power off and snapshot";
    internal const string SnapshotTagged = "Power off and snapshot (image made, its tag refused)";
    internal const string DropletDeletes = "delete droplet 9,delete key 55";

    private readonly string work = Directory.CreateTempSubdirectory("cdm-steps-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    public static TheoryData<string, string> Steps => new()
    {
        // The launcher removes what it made itself; the pipeline's clean-up of the step then finds nothing to do.
        { "Create build droplet", DropletDeletes },
        { Setup, DropletDeletes },
        { "Install first-boot scripts, first-login script, MOTD", DropletDeletes },
        { "Clean up the image", DropletDeletes },
        { "Check first-boot readiness", DropletDeletes },
        { "Validate", DropletDeletes },
        { Snapshot, DropletDeletes },
        // Reverse order: the snapshot's clean-up first, then the droplet's.
        { SnapshotTagged, "delete image 777," + DropletDeletes },
        // The snapshot step destroyed the droplet already; the image made by a build that failed goes.
        { "Mark the image finished", DropletDeletes + ",delete image 777" },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public void A_failing_step_is_reported_as_it_was_and_the_clean_ups_of_the_steps_that_ran_remove_everything(string step, string deletes)
    {
        var cloud = new FakeBuildCloud(work);
        var settings = FakeBuildCloud.Settings(new RemoteStep(Setup, (_, _) => step == Setup
            ? throw new RemoteCommandException("fake-build", new RemoteCommandResult("./setup.sh", 7, string.Empty, "no disk", TimeSpan.Zero))
            : Task.FromResult<string?>(null)));
        var expected = Fail(cloud, settings, step).GetType();

        var error = Assert.ThrowsAny<Exception>(() => cloud.Pipeline().Build(settings));

        Assert.IsType(expected, error);
        Assert.Equal(deletes, string.Join(",", cloud.Deletes));
        Assert.Empty(cloud.CancelledDeletes);
        Assert.Null(error.Data[CleanupGuard.FailuresKey]);
        var title = step == SnapshotTagged ? Snapshot : step;
        Assert.Contains(cloud.Log.Lines, l => l.Level == LogLevel.Error
                                              && l.Text.StartsWith("<== [", StringComparison.Ordinal)
                                              && l.Text.Contains($"] {title}", StringComparison.Ordinal)
                                              && l.Text.Contains(": FAILED: ", StringComparison.Ordinal));
        Assert.DoesNotContain("clean-up(s) failed", cloud.Log.AllText, StringComparison.Ordinal);
        Assert.Matches(@"\nTotal\s+\S+", cloud.Log.AllText); // the summary table ends every run
    }

    /// <summary>Makes <paramref name="step"/> fail through the fake it calls; returns the error (or one of its type, when the addin makes it).</summary>
    internal static Exception Fail(FakeBuildCloud cloud, MarketplaceImageSettings settings, string step)
    {
        Exception error;
        switch (step)
        {
            case "Create build droplet":
                error = new TaskCanceledException("The SSH connect timed out");
                cloud.ConnectFailure = error;
                break;
            case Setup:
                error = new RemoteCommandException("fake-build", new RemoteCommandResult("./setup.sh", 7, string.Empty, "no disk", TimeSpan.Zero));
                break;
            case "Install first-boot scripts, first-login script, MOTD":
                settings.MotdName = "fake";
                settings.MotdText = "Welcome";
                error = new IOException("SFTP channel closed");
                cloud.Session.UploadFailure = error;
                break;
            case "Clean up the image":
                cloud.Session.Reply("cat /etc/os-release", string.Empty, exit: 1, stderr: "cat: /etc/os-release: Input/output error");
                error = new RemoteCommandException("fake-build", new RemoteCommandResult("cat /etc/os-release", 1, string.Empty, string.Empty, TimeSpan.Zero));
                break;
            case "Check first-boot readiness":
                cloud.Session.Reply("first-boot readiness facts", "Please wait while we get your droplet ready...\n");
                error = new FactRecordsException("first-boot-facts.sh", "fake-build", "unreadable");
                break;
            case "Validate":
                cloud.Session.Reply("validation facts", "Please wait while we get your droplet ready...\n");
                error = new FactRecordsException("collect-facts.sh", "fake-build", "unreadable");
                break;
            case Snapshot:
                error = ApiError(HttpMethod.Post, "/v2/droplets/9/actions", HttpStatusCode.UnprocessableEntity, "Droplet is not off.");
                cloud.Api.PostDropletActionAsync(FakeBuildCloud.DropletId, Arg.Is<DoActionRequest>(a => a.Type == "snapshot"), Arg.Any<CancellationToken>())
                    .ThrowsAsync(error);
                break;
            case SnapshotTagged:
                error = ApiError(HttpMethod.Post, "/v2/tags/x/resources", HttpStatusCode.Forbidden, "You are not authorized to perform this operation");
                cloud.Api
                    .TagResourcesAsync(
                        Arg.Any<string>(),
                        Arg.Is<IEnumerable<DoTaggedResource>>(r => r.Any(x => x.ResourceType == "image")),
                        Arg.Any<CancellationToken>())
                    .ThrowsAsync(error);
                break;
            case "Mark the image finished":
                error = ApiError(HttpMethod.Delete, "/v2/tags/x/resources", HttpStatusCode.ServiceUnavailable, "Service Unavailable");
                cloud.Api.UntagResourcesAsync(Arg.Any<string>(), Arg.Any<IEnumerable<DoTaggedResource>>(), Arg.Any<CancellationToken>()).ThrowsAsync(error);
                break;
            default:
                throw new ArgumentException(step, nameof(step));
        }

        return error;
    }

    private static DoApiException ApiError(HttpMethod method, string path, HttpStatusCode status, string message) =>
        new(method, path, status, status.ToString(), message, "r-1");
}
