using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Orphans;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// What a cancelled CI runner leaves: the example's real Cake run is killed with SIGKILL while its droplet exists, so
/// nothing in-process can clean up. The orphan sweep then removes its droplet and temporary key, and leaves a build
/// that is running at the same time alone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CrashedBuildTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task After_kill_9_of_a_cake_run_the_sweep_removes_its_droplet_and_key_and_spares_a_running_build()
    {
        var work = Directory.CreateTempSubdirectory("cdm-crash-").FullName;
        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        try
        {
            var example = CopyExample(work, await PackedAddin.PackAsync(work, "crash"));
            using (var cake = ProcessRunner.Start("dotnet", [RepositoryPaths.CakeDll, "build.cake"], example, new Dictionary<string, string?>
                   {
                       ["DIGITALOCEAN_TOKEN"] = LocalCloudFixture.Token,
                       ["DIGITALOCEAN_API_URL"] = cloud.BaseUrl.ToString(),
                   }))
            {
                await cake.WaitForOutputAsync("Build droplet ready", TimeSpan.FromMinutes(5));
                cake.KillHard();
                output.WriteLine(cake.Output);
            }

            var crashed = Assert.Single(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
            var crashedBuild = crashed.Tags.Select(BuildIdentity.IdFromTag).OfType<string>().Single();
            Assert.Single(await BuildKeysAsync(api), k => k.Build == crashedBuild);

            var log = new RecordingLog();
            var context = cloud.Context(log);
            var healthy = context.DoCreateBuildDroplet(s => s.Name = "healthy-build");
            try
            {
                var listed = context.DoCleanupOrphans(s => { s.OlderThan = TimeSpan.Zero; s.DryRun = true; });
                Assert.Equal(
                    [(OrphanKind.Droplet, crashed.Id, false), (OrphanKind.SshKey, (await BuildKeysAsync(api)).Single(k => k.Build == crashedBuild).Id, false)],
                    listed.Select(o => (o.Kind, o.Id, o.Deleted)));

                var swept = context.DoCleanupOrphans(s => s.OlderThan = TimeSpan.Zero);

                Assert.Equal(2, swept.Count);
                Assert.All(swept, o => Assert.True(o.Deleted));
                Assert.Equal([healthy.Id], (await api.ListDropletsByTagAsync(BuildIdentity.AddinTag)).Select(d => d.Id));
                Assert.Equal([healthy.Build!.Id], (await BuildKeysAsync(api)).Select(k => k.Build));
                output.WriteLine(log.AllText);
            }
            finally
            {
                context.DoDestroyDroplet(healthy);
            }

            Assert.Empty(await api.ListDropletsByTagAsync(BuildIdentity.AddinTag));
            Assert.Empty(await BuildKeysAsync(api));
            Assert.Empty(cloud.Leftovers());
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    private static async Task<List<(long Id, string Build)>> BuildKeysAsync(DoApiClient api) =>
        (await api.ListSshKeysAsync()).Select(k => (k.Id, Build: BuildIdentity.FromKeyName(k.Name)?.Id)).Where(k => k.Build is not null).Select(k
            => (k.Id, k.Build!)).ToList();

    /// <summary>examples/minimal as users run it, loading the freshly packed addin.</summary>
    private static string CopyExample(string work, string addinLine)
    {
        var source = Path.Combine(RepositoryPaths.Root, "examples", "minimal");
        var target = Path.Combine(work, "minimal");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var script = Path.Combine(target, "build.cake");
        // The run has a token (this test's cloud), so the example's #tool line for the local cloud is not needed.
        var lines = File.ReadAllLines(script)
            .Where(l => !l.StartsWith("#tool ", StringComparison.Ordinal))
            .Select(l => l.StartsWith("#addin ", StringComparison.Ordinal) ? addinLine : l);
        File.WriteAllLines(script, lines);
        return target;
    }
}
