using System.Text.RegularExpressions;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// The local cloud killed with SIGKILL while its droplets run (their machines outlive it, as after any crash), then
/// started again on the same data: every process, mount, loop device, network link, namespace and nftables table of
/// the crashed run is gone, and its images still boot.
/// </summary>
[Trait("Category", "Integration")]
[Collection(MachineWideRecovery.Name)]
public sealed partial class LocalCloudCrashTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_restart_after_kill_9_removes_everything_of_the_crashed_run_and_keeps_its_images()
    {
        var data = Directory.CreateTempSubdirectory("cdm-crash-cloud-").FullName;
        try
        {
            string crashedTable;
            long imageId;
            List<string> crashedNamespaces;
            using (var crashed = Start(data))
            {
                var (url, table) = await ReadyAsync(crashed);
                crashedTable = table;
                var context = Context(data, url);
                var imaged = context.DoCreateBuildDroplet(s => s.Name = "crash-imaged");
                context.DoCleanupImage(imaged, s => { s.UpdatePackages = false; s.FreeSpace = Cake.DoMarketplace.ImageRules.FreeSpaceHandling.Skip; });
                imageId = context.DoSnapshot(imaged, s => s.Name = "crash-survivor").ImageId;
                context.DoCreateBuildDroplet(s => s.Name = "crash-running-1");
                context.DoCreateBuildDroplet(s => s.Name = "crash-running-2");
                crashedNamespaces = SandboxLeaks.Links(crashedTable).Select(l => Regex.Match(l, @"link cdm(\d+)").Groups[1].Value).Select(n
                    => $"/run/netns/cdm-{n}").ToList();

                crashed.Process.Kill(); // the local cloud alone, not its process tree: a crash
                await crashed.Process.WaitForExitAsync();
                output.WriteLine(crashed.Output);
            }

            Assert.NotEmpty(SandboxLeaks.Find(data));
            Assert.Equal(3, SandboxLeaks.Links(crashedTable).Count);
            Assert.All(crashedNamespaces, ns => Assert.True(File.Exists(ns), ns));
            Assert.Contains(crashedTable, await SandboxLeaks.NftTablesAsync());

            using var restarted = Start(data);
            var (restartedUrl, restartedTable) = await ReadyAsync(restarted);
            output.WriteLine(restarted.Output);

            Assert.Empty(await SandboxLeaks.SettledAsync(data, except: restarted.Process.Id));
            Assert.Empty(SandboxLeaks.Links(crashedTable));
            Assert.All(crashedNamespaces, ns => Assert.False(File.Exists(ns), ns));
            Assert.DoesNotContain(crashedTable, await SandboxLeaks.NftTablesAsync());

            using (var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = restartedUrl }))
            {
                Assert.Contains(await api.ListPrivateImagesAsync(), i => i.Id == imageId);
            }

            var again = Context(data, restartedUrl);
            var fromImage = again.DoCreateBuildDroplet(s
                => { s.Name = "from-survivor"; s.Image = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture); });
            Assert.Equal("from-survivor", again.DoRunRemote(fromImage, "hostname").StandardOutput.Trim());
            again.DoDestroyDroplet(fromImage);

            await restarted.InterruptAsync(TimeSpan.FromMinutes(1));
            Assert.Empty(await SandboxLeaks.SettledAsync(data));
            Assert.Empty(SandboxLeaks.Links(restartedTable));
            Assert.DoesNotContain(restartedTable, await SandboxLeaks.NftTablesAsync());
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }

    private static RunningProcess Start(string data) =>
        ProcessRunner.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Cake.DoMarketplace.LocalCloud.dll"), "--port", "0", "--data-dir", data, "--token",
                LocalCloudFixture.Token],
            data);

    private static async Task<(Uri Url, string Table)> ReadyAsync(RunningProcess cloud)
    {
        await cloud.WaitForOutputAsync("Local cloud API listening on", TimeSpan.FromMinutes(5));
        return (new Uri(ListeningOn().Match(cloud.Output).Groups[1].Value), SandboxLeaks.TableIn(cloud.Output));
    }

    private static Cake.Core.ICakeContext Context(string data, Uri url) =>
        TestCakeContext.Create(new RecordingLog(), data, new Dictionary<string,
            string> { ["DIGITALOCEAN_TOKEN"] = LocalCloudFixture.Token, ["DIGITALOCEAN_API_URL"] = url.ToString() });

    [GeneratedRegex(@"Local cloud API listening on (\S+)")]
    private static partial Regex ListeningOn();
}
