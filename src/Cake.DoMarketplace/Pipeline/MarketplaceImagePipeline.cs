using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Snapshots;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// The whole image build from settings, step by step through the same aliases a build.cake would call. Every local
/// input is checked before anything is created; the build droplet and its key are destroyed on every path (unless
/// kept for debugging), and a snapshot from a run that then fails is deleted unless kept.
/// </summary>
internal sealed class MarketplaceImagePipeline(ICakeContext context, ICakeLog log)
{
    private const string Prefix = nameof(MarketplaceImageSettings) + ".";

    /// <summary>Where the temporary key of a droplet kept by <c>KeepDropletOnFailure</c> is written, beside the reports.</summary>
    private const string KeptKeyDirectory = "artifacts/kept-droplets";

    public MarketplaceImageResult Build(MarketplaceImageSettings settings)
    {
        var scripts = CheckLocally(settings);
        var steps = new BuildStepLog(log, 10 + scripts.Count);
        BuildDroplet? droplet = null;
        SnapshotResult? image = null;
        var reports = new List<string>();
        var succeeded = false;
        try
        {
            droplet = steps.Run("Create build droplet", () => context.DoCreateBuildDroplet(settings.Droplet), d => $"{d.Id} {d.PublicIPv4} ({d.Size}, {d.Region})");
            var live = droplet;
            if (settings.UpdatePackages) { steps.Run("Install updates", () => context.DoUpdatePackages(live)); } else { steps.Skip("Install updates", "UpdatePackages = false"); }
            if (settings.Packages.Count > 0) { steps.Run($"Install packages ({string.Join(", ", settings.Packages)})", () => context.DoInstallPackages(live, [.. settings.Packages])); } else { steps.Skip("Install packages", "none listed"); }
            if (settings.FilesDirectory is { } files) { steps.Run("Copy files/ onto /", () => context.DoUploadDirectory(live, files, "/"), s => $"{s.Files} files, {s.Bytes} bytes"); } else { steps.Skip("Copy files/ onto /", "no FilesDirectory"); }
            foreach (var script in scripts)
            {
                steps.Run($"Run {System.IO.Path.GetFileName(script)}", () => context.DoRunRemoteScript(live, script));
            }

            steps.Run("Install first-boot scripts, first-login script, MOTD", () => InstallFirstBoot(live, settings));
            steps.Run("Clean up the image", () => context.DoCleanupImage(live, settings.Cleanup));
            var readiness = steps.Run("Check first-boot readiness", () => context.DoCheckImageReadiness(live, settings.Readiness), r => $"{r.Warnings.Count} warning(s)");
            var validation = steps.Run($"Validate ({ImageChecks.Description})", () => context.DoValidateImage(live, settings.Validation), r => r.Summary);
            if (settings.Validation.ReportDirectory is { } validationReports)
            {
                reports.Add(DirectoryPath.FromString(validationReports).MakeAbsolute(context.Environment).FullPath);
            }

            settings.Snapshot.DestroyDroplet = true;
            image = steps.Run("Power off and snapshot", () => context.DoSnapshot(live, settings.Snapshot), i => $"image {i.ImageId} in {string.Join(", ", i.Regions)}");
            ValidationReport? test = null;
            if (settings.TestImage)
            {
                var tested = image;
                settings.Test.Token ??= settings.Droplet.Token;
                settings.Test.ApiUrl ??= settings.Droplet.ApiUrl;
                settings.Test.Region ??= live.Region;
                settings.Test.BuildHostKeyFingerprint ??= live.HostKeyFingerprint;
                test = steps.Run("Test the image on a new droplet", () => context.DoTestImage(tested.ImageId, settings.Test), r => r.Summary);
                if (settings.Test.ReportDirectory is { } testReports)
                {
                    reports.Add(DirectoryPath.FromString(testReports).MakeAbsolute(context.Environment).FullPath);
                }
            }
            else
            {
                steps.Skip("Test the image on a new droplet", "TestImage = false");
            }

            succeeded = true;
            log.Info($"Marketplace image ready: {image}");
            return new MarketplaceImageResult(image, validation, readiness, test, steps.Steps);
        }
        finally
        {
            if (!succeeded)
            {
                CleanUpAfterFailure(settings, droplet, image);
            }

            steps.PrintSummary(reports.Distinct());
        }
    }

    /// <summary>Everything local, checked before a droplet exists; returns the scripts to run, in order.</summary>
    private List<string> CheckLocally(MarketplaceImageSettings settings)
    {
        BuildDropletPlan.CheckLocally(settings.Droplet);
        SnapshotMaker.CheckLocally(settings.Snapshot);
        ImageCleaner.CheckSettings(settings.Cleanup);
        if (settings.TestImage)
        {
            ImageTests.ImageTester.CheckSettings(settings.Test, Prefix + nameof(settings.Test));
        }

        if (settings.FilesDirectory is { } files)
        {
            settings.FilesDirectory = RequireDirectory(files, Prefix + nameof(settings.FilesDirectory));
        }

        var scripts = new List<string>();
        if (settings.ScriptsDirectory is { } folder)
        {
            folder = RequireDirectory(folder, Prefix + nameof(settings.ScriptsDirectory));
            scripts.AddRange(Directory.GetFiles(folder, "*.sh").Order(StringComparer.Ordinal));
            foreach (var script in scripts)
            {
                ScriptText.Load(script, LineEndingHandling.Convert, Prefix + nameof(settings.ScriptsDirectory));
            }
        }

        foreach (var (list, setting) in new[] { (settings.PerOnceScripts, nameof(settings.PerOnceScripts)), (settings.PerInstanceScripts, nameof(settings.PerInstanceScripts)), (settings.PerBootScripts, nameof(settings.PerBootScripts)) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = Absolute(list[i]);
                FirstBootInstaller.CheckStageScriptName(System.IO.Path.GetFileName(list[i]), Prefix + setting);
                ScriptText.Load(list[i], LineEndingHandling.Convert, Prefix + setting);
            }
        }

        if (settings.FirstLoginScript is { } firstLogin)
        {
            settings.FirstLoginScript = Absolute(firstLogin);
            ScriptText.Load(settings.FirstLoginScript, LineEndingHandling.Convert, Prefix + nameof(settings.FirstLoginScript));
            FirstBootInstaller.CheckPlainName(settings.Company ?? string.Empty, Prefix + nameof(settings.Company), "mycompany");
        }

        if (settings.MotdName is not null || settings.MotdText is not null)
        {
            FirstBootInstaller.CheckPlainName(settings.MotdName ?? string.Empty, Prefix + nameof(settings.MotdName), "myapp");
            SettingsRules.NotBlank(settings.MotdText, Prefix + nameof(settings.MotdText), "\"Welcome to MyApp\"");
        }

        return scripts;
    }

    private void InstallFirstBoot(BuildDroplet droplet, MarketplaceImageSettings settings)
    {
        foreach (var script in settings.PerOnceScripts) { context.DoInstallPerOnceScript(droplet, script); }
        foreach (var script in settings.PerInstanceScripts) { context.DoInstallPerInstanceScript(droplet, script); }
        foreach (var script in settings.PerBootScripts) { context.DoInstallPerBootScript(droplet, script); }
        if (settings.FirstLoginScript is { } firstLogin)
        {
            context.DoInstallFirstLoginScript(droplet, firstLogin, new FirstLoginScriptSettings { Company = settings.Company });
        }

        if (settings.MotdName is { } motd)
        {
            context.DoSetMotd(droplet, motd, settings.MotdText!);
        }
    }

    private void CleanUpAfterFailure(MarketplaceImageSettings settings, BuildDroplet? droplet, SnapshotResult? image)
    {
        if (droplet is not null && !droplet.Destroyed)
        {
            if (settings.KeepDropletOnFailure)
            {
                KeptDroplet.Keep(droplet, DirectoryPath.FromString(KeptKeyDirectory).MakeAbsolute(context.Environment).FullPath, log);
            }
            else
            {
                try
                {
                    context.DoDestroyDroplet(droplet);
                }
                catch (Exception e) when (e is DoMarketplaceException or HttpRequestException)
                {
                    log.Fail($"Could not destroy {droplet}: {SecretRedactor.Redact(e.Message)}");
                }
            }
        }

        if (image is not null && !settings.Snapshot.KeepSnapshotOnFailure)
        {
            log.Warn($"Deleting image {image.ImageId}: a later step failed (set Snapshot.KeepSnapshotOnFailure to keep it)");
            try
            {
                context.DoDeleteSnapshot(image.ImageId, settings.Droplet);
            }
            catch (Exception e) when (e is DoMarketplaceException or HttpRequestException)
            {
                log.Fail($"Could not delete image {image.ImageId}: {SecretRedactor.Redact(e.Message)}");
            }
        }
    }

    private string RequireDirectory(string path, string setting)
    {
        var full = DirectoryPath.FromString(path).MakeAbsolute(context.Environment).FullPath;
        return Directory.Exists(full) ? full : throw new DoSettingsException(setting, $"{setting}: folder '{full}' does not exist.");
    }

    private string Absolute(string path) => FilePath.FromString(path).MakeAbsolute(context.Environment).FullPath;
}
