using System.Globalization;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Orphans;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Snapshots;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// The whole image build from settings, as a declared list of <see cref="PipelineStep"/>s calling the domain workers.
/// Every local input is checked before anything is created (<see cref="ImageBuildPlan"/>); each step's clean-up runs at
/// the end, so the build droplet and its key are destroyed on every path (unless kept for debugging) and a snapshot from
/// a run that then fails is deleted (unless kept). One API client serves every step. The caller's settings are never written.
/// Local files are read and written through <paramref name="files"/>, relative paths made absolute against <paramref name="environment"/>.
/// </summary>
internal sealed class MarketplaceImagePipeline(IFileSystem files, ICakeEnvironment environment, ICakeLog cakeLog, PipelineServices? services = null)
{
    private const string Prefix = nameof(MarketplaceImageSettings) + ".";

    /// <summary>Where the temporary key of a droplet kept by <c>KeepDropletOnFailure</c> is written, beside the reports.</summary>
    private const string KeptKeyDirectory = "artifacts/kept-droplets";

    // Every worker writes through it, so that a failed step can show the end of its output again.
    private readonly OutputTail log = new(cakeLog);

    private readonly PipelineServices services = services ?? PipelineServices.Real;

    private IDoApiClient? api;
    private BuildStepLog? stepLog;
    private BuildDroplet? droplet;
    private SnapshotResult? image;
    private ReadinessReport? readiness;
    private ValidationReport? validation;
    private ValidationReport? test;

    private BuildDroplet Droplet => droplet ?? throw new InvalidOperationException("The build droplet step has not run.");

    private IDoApiClient Api => api ?? throw new InvalidOperationException("The build has not started.");

    /// <summary>The steps that ran or were skipped so far, with their results: after a failure too.</summary>
    public IReadOnlyList<BuildStep> StepsSoFar => stepLog?.Steps ?? [];

    public MarketplaceImageResult Build(MarketplaceImageSettings settings) => Build(ImageBuildPlan.Resolve(settings, files, environment));

    /// <summary>
    /// Builds from a plan resolved already. <paramref name="stop"/> cancels the build as a stop signal would (its clean-ups
    /// run), for a caller that stops it itself: <c>DoBuildImages</c> when another variant failed. As one of several
    /// <paramref name="variant"/>s, the build leaves its step table to the caller's combined one and names itself in the job summary.
    /// </summary>
    public MarketplaceImageResult Build(ImageBuildPlan plan, string? variant = null, CancellationToken stop = default)
    {
        var settings = plan.Settings;
        using var run = services.Cancellation.Begin();
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(run.Token, stop);
        using var client = services.ApiClient(plan.Api, log);
        api = client;
        var steps = Steps(plan);
        stepLog = new BuildStepLog(log, steps.Count, log);
        var undo = new Stack<PipelineStep>();
        Exception? failure = null;
        try
        {
            foreach (var step in steps)
            {
                if (step.SkipReason is { } why)
                {
                    stepLog.Skip(step.Title, why);
                    continue;
                }

                try
                {
                    stepLog.RunStep(step.Title, () => run.Wait(_ => step.Run(stopped.Token)));
                }
                finally
                {
                    if (step.Cleanup is not null)
                    {
                        undo.Push(step);
                    }
                }
            }

            log.Info($"Marketplace image ready: {image}");
            return new MarketplaceImageResult(image!, validation!, readiness!, test, stepLog.Steps);
        }
        catch (Exception e)
        {
            failure = e;
            if (run.CancelledBy is { } signal)
            {
                log.Warn($"{signal} received: the build stops; its clean-ups run now (a second signal ends the process at once)");
            }
            else if (stop.IsCancellationRequested)
            {
                log.Warn("The build was cancelled: it stops; its clean-ups run now");
            }

            throw;
        }
        finally
        {
            var cleanups = CleanUp(undo, succeeded: failure is null);
            var reports = new[] { plan.ValidationReports, plan.TestReports }.OfType<string>().Distinct();
            if (variant is null)
            {
                stepLog.PrintSummary(reports);
            }
            else
            {
                stepLog.PrintReports(reports);
            }

            var title = "Marketplace image build" + ((variant ?? settings.Droplet.Name) is { } name ? $" {name}" : string.Empty);
            var succeeded = failure is null && cleanups.Failed.Count == 0;
            JobSummary.AppendIfRequested(files, environment, log, JobSummary.Compose(title, succeeded, stepLog.Steps, validation, test));
            cleanups.Conclude(failure, "The image build");
        }
    }

    /// <summary>
    /// Runs the clean-ups of the steps that ran, in reverse, each in its own guard: whatever one throws (a client timeout,
    /// a cancellation, an API error), the next still runs. They run outside the build's token: a stop signal has cancelled
    /// the build, not what removes its droplet, key and snapshot.
    /// </summary>
    private CleanupGuard CleanUp(IEnumerable<PipelineStep> undo, bool succeeded)
    {
        var guard = new CleanupGuard(log);
        foreach (var step in undo)
        {
            Task.Run(() => guard.RunAsync(step.Title, () => step.Cleanup!(succeeded)), CancellationToken.None).GetAwaiter().GetResult();
        }

        return guard;
    }

    private List<PipelineStep> Steps(ImageBuildPlan plan)
    {
        var settings = plan.Settings;
        IRemoteSession Session() => Droplet.Session;
        var steps = new List<PipelineStep>
        {
            new(
                "Delete what crashed builds left",
                async t => $"{(await new OrphanSweeper(Api, log, Leases).SweepAsync(settings.CleanupOrphans!, t).ConfigureAwait(false)).Count} orphan(s)",
                settings.CleanupOrphans is null ? "CleanupOrphans not set" : null),
            new("Create build droplet", CreateDropletAsync(settings), Cleanup: succeeded => RemoveDropletAsync(settings, succeeded)),
            new(
                "Install updates",
                async t => (await new PackageManager(Session(), log).UpdateAsync(settings.PackageManager, t).ConfigureAwait(false)).Changes.Counts,
                settings.UpdatePackages ? null : "UpdatePackages = false"),
            new(
                settings.Packages.Count > 0 ? $"Install packages ({string.Join(", ", settings.Packages)})" : "Install packages",
                async t =>
                {
                    var installed = await new PackageManager(Session(), log).InstallAsync([.. settings.Packages], settings.PackageManager, t)
                        .ConfigureAwait(false);
                    return installed.Changes.Counts;
                },
                settings.Packages.Count > 0 ? null : "none listed"),
            new("Copy files/ onto /", t => UploadFilesAsync(plan.FilesDirectory!, t), plan.FilesDirectory is null ? "no FilesDirectory" : null),
        };
        steps.AddRange(plan.Scripts.Select(script => new PipelineStep(
            $"Run {System.IO.Path.GetFileName(script)}",
            async t => Ok(await Session()
                .RunScriptAsync(ScriptText.Load(files, script, LineEndingHandling.Convert, "script").Content, ScriptSettings(settings, script), t)
                .ConfigureAwait(false)))));
        steps.AddRange(settings.RemoteSteps.Select(step => new PipelineStep(step.Title, t => step.Run(Session(), t))));
        if (settings.Provision is { } provision)
        {
            steps.Add(new($"Provision ({Prefix}{nameof(settings.Provision)})", _ =>
            {
                provision(Droplet);
                return Task.FromResult<string?>(null);
            }));
        }

        steps.AddRange(
        [
            new("Install first-boot scripts, first-login script, MOTD", t => InstallFirstBootAsync(plan, t)),
            new("Clean up the image", async t => Ok(await new ImageCleaner(Session(), log).CleanAsync(settings.Cleanup, t).ConfigureAwait(false))),
            new("Check first-boot readiness", async t =>
            {
                readiness = await new ReadinessChecker(Session(), log).CheckAsync(settings.Readiness, t).ConfigureAwait(false);
                return $"{readiness.Warnings.Count} warning(s)";
            }),
            new($"Validate ({ImageChecks.Description})", async t =>
            {
                validation = await new ImageValidator(Session(), log, reuseBuildIndex: true).ValidateAsync(settings.Validation, Reports(plan.ValidationReports),
                    t).ConfigureAwait(false);
                return validation.Summary;
            }),
            new("Power off and snapshot", t => SnapshotAsync(settings, t), Cleanup: succeeded => RemoveSnapshotAsync(settings, succeeded)),
            new("Test the image on a new droplet", t => TestAsync(plan, t), settings.TestImage ? null : "TestImage = false"),
            new("Mark the image finished", MarkFinishedAsync),
        ]);
        return steps;
    }

    private Func<CancellationToken, Task<string?>> CreateDropletAsync(MarketplaceImageSettings settings) => async t =>
    {
        droplet = await new BuildDropletLauncher(Api, log, services.SessionOpener(log), Leases)
            .LaunchAsync(settings.Droplet, t, alsoNeeded: settings.Snapshot.TransferRegions.Count > 0 ? ["regions:read"] : []).ConfigureAwait(false);
        return $"{droplet.Id} {droplet.PublicIPv4} ({droplet.Size}, {droplet.Region})";
    };

    private async Task<string?> UploadFilesAsync(string folder, CancellationToken cancellationToken)
    {
        var summary = await Droplet.Session.UploadDirectoryAsync(folder, "/", cancellationToken).ConfigureAwait(false);
        return $"{summary.Files} files, {summary.Bytes} bytes";
    }

    private async Task<string?> InstallFirstBootAsync(ImageBuildPlan plan, CancellationToken cancellationToken)
    {
        var installer = new FirstBootInstaller(Droplet.Session, files, log);
        foreach (var (stage, script) in plan.FirstBootScripts)
        {
            await installer.InstallStageScriptAsync(script, stage, new FirstBootScriptSettings(), cancellationToken).ConfigureAwait(false);
        }

        if (plan.FirstLoginScript is { } firstLogin)
        {
            await installer.InstallFirstLoginScriptAsync(firstLogin, new FirstLoginScriptSettings { Company = plan.Settings.Company },
                cancellationToken).ConfigureAwait(false);
        }

        if (plan.Settings.MotdName is { } motd)
        {
            await installer.SetMotdAsync(motd, plan.Settings.MotdText!, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<string?> SnapshotAsync(MarketplaceImageSettings settings, CancellationToken cancellationToken)
    {
        var live = Droplet;
        // Running: the validation step has just read it over SSH, so the shutdown goes out without a read first.
        image = await new SnapshotMaker(Api, log).SnapshotAsync(live, settings.Snapshot, cancellationToken, running: true).ConfigureAwait(false);

        // Until the last step, the image carries the build's tag: should this process die, DoCleanupOrphans finds it. The
        // droplet's create made the tag, so this is one request.
        await Api.TagCreatingAsync(BuildTag, [ImageResource], cancellationToken).ConfigureAwait(false);

        // The build droplet has served its purpose: it does not wait, powered off, for the image test.
        await new BuildDropletDestroyer(log).DestroyAsync(live, CancellationToken.None).ConfigureAwait(false);
        return $"image {image.ImageId} in {string.Join(", ", image.Regions)}";
    }

    private async Task<string?> TestAsync(ImageBuildPlan plan, CancellationToken cancellationToken)
    {
        var settings = plan.Settings;
        using var otherAccount = plan.TestApi is { } options ? services.ApiClient(options, log) : null;
        var tester = new ImageTester(otherAccount ?? Api, log, services.SessionOpener(log));
        var report = await tester.TestAsync(image!.ImageId, settings.Test, cancellationToken, Droplet.Region, Droplet.HostKeyFingerprint,
            Droplet.Size).ConfigureAwait(false);
        test = tester.Report(report, image.ImageId, Reports(plan.TestReports), settings.Test.FailOnError);
        return test.Summary;
    }

    private async Task<string?> MarkFinishedAsync(CancellationToken cancellationToken)
    {
        await Api.UntagResourcesAsync(BuildTag, [ImageResource], cancellationToken).ConfigureAwait(false);
        return $"tag {BuildTag} removed";
    }

    private string BuildTag => Droplet.Build!.Tag;

    private DoTaggedResource ImageResource => new(image!.ImageId.ToString(CultureInfo.InvariantCulture), "image");

    private async Task RemoveDropletAsync(MarketplaceImageSettings settings, bool succeeded)
    {
        if (droplet is null || droplet.Destroyed)
        {
            return;
        }

        if (!succeeded && settings.KeepDropletOnFailure)
        {
            await KeepAsync(droplet).ConfigureAwait(false);
            KeptDroplet.Keep(droplet, files, DirectoryPath.FromString(KeptKeyDirectory).MakeAbsolute(environment).FullPath, log);
            return;
        }

        // A failure is the clean-up guard's to report, after the build's own error.
        await new BuildDropletDestroyer(log).DestroyAsync(droplet, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Tags a droplet kept for debugging, so that an orphan sweep leaves it (and its key) alone.</summary>
    private async Task KeepAsync(BuildDroplet kept)
    {
        try
        {
            await Api.TagCreatingAsync(BuildIdentity.KeptTag, [new(kept.Id.ToString(CultureInfo.InvariantCulture), "droplet")],
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DoMarketplaceException or OperationCanceledException)
        {
            log.Warn($"Could not tag {kept} as kept ({SecretRedactor.Redact(e.Message)}): DoCleanupOrphans may delete it once it is older than its limit");
        }
    }

    private async Task RemoveSnapshotAsync(MarketplaceImageSettings settings, bool succeeded)
    {
        if (succeeded || image is null)
        {
            return;
        }

        if (settings.Snapshot.KeepSnapshotOnFailure)
        {
            try
            {
                await MarkFinishedAsync(CancellationToken.None).ConfigureAwait(false); // kept on purpose: not an orphan
            }
            catch (Exception e) when (e is DoMarketplaceException or OperationCanceledException)
            {
                log.Warn(
                    $"Could not remove tag {BuildTag} from the kept image {image.ImageId} ({SecretRedactor.Redact(e.Message)}): DoCleanupOrphans may delete "
                    + "it later");
            }

            return;
        }

        log.Warn($"Deleting image {image.ImageId}: a later step failed (set Snapshot.KeepSnapshotOnFailure to keep it)");
        if (!await new BuildResourceCleaner(Api, log).DeleteSnapshotAsync(image.ImageId, CancellationToken.None).ConfigureAwait(false))
        {
            throw new CleanupIncompleteException($"image {image.ImageId}", $"Could not delete image {image.ImageId}; see the errors above.");
        }
    }

    private static RemoteCommandSettings ScriptSettings(MarketplaceImageSettings settings, string script) =>
        new() { Timeout = settings.ScriptTimeout, TimeoutSetting = Prefix + nameof(settings.ScriptTimeout), Description = System.IO.Path.GetFileName(script) };

    private BuildLeases Leases => BuildLeases.For(files, environment);

    private ReportFolder? Reports(string? folder) => folder is null ? null : new ReportFolder(files, folder);

    // Commands stream their output into the log; the table only says that they succeeded.
    private static string? Ok(RemoteCommandResult _) => null;
}
