using Cake.Core;
using Cake.Core.IO;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.LocalCloudLaunch;

/// <summary>How to run the local cloud: the file to start and the arguments before its own.</summary>
internal sealed record LocalCloudCommand(string File, IReadOnlyList<string> Prefix, string Description)
{
    public const string ToolName = "do-local-cloud";
    public const string PackageId = "Cake.DoMarketplace.LocalCloud";
    private const string Setting = nameof(LocalCloudSettings) + "." + nameof(LocalCloudSettings.ToolPath);

    /// <summary>The configured path, else the tool Cake installed (<c>#tool</c>), else the folder's tool manifest.</summary>
    public static LocalCloudCommand Resolve(LocalCloudSettings settings, IFileSystem files, ICakeEnvironment environment,
        Func<string, FilePath?> resolveTool)
    {
        if (settings.ToolPath is { } configured)
        {
            var path = configured.MakeAbsolute(environment).FullPath;
            return files.FileExists(path) ? ForFile(path) : throw new DoSettingsException(Setting, $"{Setting}: '{path}' does not exist.");
        }

        if (resolveTool(ToolName) is { } installed)
        {
            return ForFile(installed.FullPath);
        }

        if (FindManifestListing(files, environment.WorkingDirectory.MakeAbsolute(environment)) is { } manifest)
        {
            return new LocalCloudCommand("dotnet", ["tool", "run", ToolName, "--"], $"{ToolName} from {manifest}");
        }

        throw new DoSettingsException(
            Setting,
            $"The local cloud ({PackageId}, command {ToolName}) is not installed. Add '#tool dotnet:?package={PackageId}&version={AddinVersion}' " +
            $"to build.cake, or 'dotnet tool install {PackageId}' into the repository's tool manifest, or set {Setting}.");
    }

    private static LocalCloudCommand ForFile(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new("dotnet", [path], path) : new(path, [], path);

    /// <summary>The nearest <c>.config/dotnet-tools.json</c> upwards that lists the tool, as <c>dotnet tool run</c> finds it.</summary>
    private static string? FindManifestListing(IFileSystem files, DirectoryPath folder)
    {
        for (DirectoryPath? dir = folder; dir is not null; dir = dir.GetParent() is { } parent && parent.FullPath != dir.FullPath ? parent : null)
        {
            foreach (var manifest in new[] { dir.Combine(".config").CombineWithFilePath("dotnet-tools.json"), dir.CombineWithFilePath("dotnet-tools.json") })
            {
                if (files.FileExists(manifest) && files.ReadAllText(manifest).Contains(ToolName, StringComparison.OrdinalIgnoreCase))
                {
                    return manifest.FullPath;
                }
            }
        }

        return null;
    }

    private static string AddinVersion => typeof(LocalCloudCommand).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
}
