namespace Cake.DoMarketplace.Tests.Support;

/// <summary>Packs the addin into a folder feed under a fresh version, as users receive it, for real Cake script runs.</summary>
public static class PackedAddin
{
    /// <summary>Packs into <c>work/feed</c> (build output kept apart from the repository's) and returns the #addin line.</summary>
    public static async Task<string> PackAsync(string work, string label) => (await PackAsync(work, label, withLocalCloud: false)).Addin;

    /// <summary>Packs the addin and, when asked, the local cloud tool; returns the #addin line and the #tool line (or null).</summary>
    public static async Task<(string Addin, string? Tool)> PackAsync(string work, string label, bool withLocalCloud)
    {
        var feed = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
        var version = $"0.0.1-{label}{DateTime.UtcNow:yyyyMMddHHmmss}";
        async Task PackProjectAsync(string project)
        {
            var pack = await ProcessRunner.RunAsync(
                "dotnet",
                ["pack", project, "-c", "Release", "-o", feed, "--artifacts-path", Path.Combine(work, "artifacts"), $"-p:Version={version}", "--nologo"],
                RepositoryPaths.Root,
                TimeSpan.FromMinutes(5));
            Assert.True(pack.ExitCode == 0, pack.Output);
        }

        await PackProjectAsync(RepositoryPaths.AddinProject);
        var addin = $"#addin nuget:file://{feed}?package=Cake.DoMarketplace&version={version}&loaddependencies=true";
        if (!withLocalCloud)
        {
            return (addin, null);
        }

        await PackProjectAsync(RepositoryPaths.LocalCloudProject);
        return (addin, $"#tool dotnet:file://{feed}?package=Cake.DoMarketplace.LocalCloud&version={version}");
    }
}
