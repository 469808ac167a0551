using Cake.Core;
using Cake.Core.IO;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.FirstBoot;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Snapshots;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// <see cref="MarketplaceImageSettings"/> checked and resolved before anything exists: absolute paths, the scripts to
/// run in order, the first-boot scripts with their stages, the API credentials (<see cref="TestApi"/> only when the image
/// test uses another account or address than the build). The caller's settings are read, never written.
/// </summary>
internal sealed record ImageBuildPlan(
    MarketplaceImageSettings Settings,
    string? FilesDirectory,
    IReadOnlyList<string> Scripts,
    IReadOnlyList<(FirstBootStage Stage, string Path)> FirstBootScripts,
    string? FirstLoginScript,
    string? ValidationReports,
    string? TestReports,
    DoApiOptions Api,
    DoApiOptions? TestApi)
{
    private const string Prefix = nameof(MarketplaceImageSettings) + ".";

    public static ImageBuildPlan Resolve(MarketplaceImageSettings settings, IFileSystem files, ICakeEnvironment environment)
    {
        BuildDropletPlan.CheckLocally(settings.Droplet);
        SnapshotMaker.CheckLocally(settings.Snapshot);
        ImageCleaner.CheckSettings(settings.Cleanup);
        Packages.PackageManager.CheckSettings(settings.PackageManager);
        if (settings.ScriptTimeout is { } scriptTimeout)
        {
            SettingsRules.Positive(scriptTimeout, Prefix + nameof(settings.ScriptTimeout));
        }

        if (settings.CleanupOrphans is { } orphans)
        {
            Orphans.OrphanSweeper.CheckSettings(orphans, Prefix + nameof(settings.CleanupOrphans) + ".");
        }

        if (settings.TestImage)
        {
            ImageTester.CheckSettings(settings.Test, Prefix + nameof(settings.Test));
        }

        var api = DoApiCredentials.Resolve(settings.Droplet, environment, $"{Prefix}{nameof(settings.Droplet)}.{nameof(settings.Droplet.Token)}");
        DoApiOptions? testApi = null;
        if (settings.TestImage && (settings.Test.Token is not null || settings.Test.ApiUrl is not null))
        {
            var test = new DoApiSettings { Token = settings.Test.Token ?? settings.Droplet.Token, ApiUrl = settings.Test.ApiUrl ?? settings.Droplet.ApiUrl };
            testApi = DoApiCredentials.Resolve(test, environment, $"{Prefix}{nameof(settings.Test)}.{nameof(settings.Test.Token)}");
        }

        string Absolute(FilePath path) => path.MakeAbsolute(environment).FullPath;
        string Folder(DirectoryPath path, string setting)
        {
            var full = path.MakeAbsolute(environment).FullPath;
            return files.DirectoryExists(full) ? full : throw new DoSettingsException(setting, $"{setting}: folder '{full}' does not exist.");
        }

        var filesDirectory = settings.FilesDirectory is { } filesFolder ? Folder(filesFolder, Prefix + nameof(settings.FilesDirectory)) : null;
        var scripts = new List<string>();
        if (settings.ScriptsDirectory is { } scriptsFolder)
        {
            var folder = files.GetDirectory(Folder(scriptsFolder, Prefix + nameof(settings.ScriptsDirectory)));
            scripts.AddRange(folder.GetFiles("*.sh", SearchScope.Current).Select(file => file.Path.FullPath).Order(StringComparer.Ordinal));
            foreach (var script in scripts)
            {
                ScriptText.Load(files, script, LineEndingHandling.Convert, Prefix + nameof(settings.ScriptsDirectory));
            }
        }

        var firstBoot = new List<(FirstBootStage, string)>();
        foreach (var (list, stage, setting) in new[]
                 {
                     (settings.PerOnceScripts, FirstBootStage.PerOnce, nameof(settings.PerOnceScripts)),
                     (settings.PerInstanceScripts, FirstBootStage.PerInstance, nameof(settings.PerInstanceScripts)),
                     (settings.PerBootScripts, FirstBootStage.PerBoot, nameof(settings.PerBootScripts)),
                 })
        {
            foreach (var script in list.Select(Absolute))
            {
                FirstBootInstaller.CheckStageScriptName(System.IO.Path.GetFileName(script), Prefix + setting);
                ScriptText.Load(files, script, LineEndingHandling.Convert, Prefix + setting);
                firstBoot.Add((stage, script));
            }
        }

        string? firstLogin = null;
        if (settings.FirstLoginScript is { } login)
        {
            firstLogin = Absolute(login);
            ScriptText.Load(files, firstLogin, LineEndingHandling.Convert, Prefix + nameof(settings.FirstLoginScript));
            FirstBootInstaller.CheckPlainName(settings.Company ?? string.Empty, Prefix + nameof(settings.Company), "mycompany");
        }

        if (settings.MotdName is not null || settings.MotdText is not null)
        {
            FirstBootInstaller.CheckPlainName(settings.MotdName ?? string.Empty, Prefix + nameof(settings.MotdName), "myapp");
            SettingsRules.NotBlank(settings.MotdText, Prefix + nameof(settings.MotdText), "\"Welcome to MyApp\"");
        }

        string? Reports(DirectoryPath? folder) => folder?.MakeAbsolute(environment).FullPath;
        return new ImageBuildPlan(settings, filesDirectory, scripts, firstBoot, firstLogin, Reports(settings.Validation.ReportDirectory), settings.TestImage
            ? Reports(settings.Test.ReportDirectory) : null,
            api,
            testApi);
    }
}
