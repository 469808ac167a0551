using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Scripting;

/// <summary>
/// The local cloud as a user of the packages gets it: a build.cake in an empty folder with only an #addin and a #tool
/// line starts it (DoStartLocalCloud), builds an image, tests it on a new droplet, and stops it — leaving nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UserStyleLocalCloudTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_build_cake_with_only_addin_and_tool_lines_starts_the_local_cloud_builds_and_tests_an_image()
    {
        var work = Directory.CreateTempSubdirectory("cdm-user-").FullName;
        try
        {
            var (addin, tool) = await PackedAddin.PackAsync(work, "user", withLocalCloud: true);
            var app = Directory.CreateDirectory(Path.Combine(work, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "build.cake"), $$"""
                {{addin}}
                {{tool}}

                var cloud = DoStartLocalCloud();
                try
                {
                    var result = DoBuildImage(s =>
                    {
                        s.Droplet.Name = "user-style-build";
                        s.UpdatePackages = false;
                        s.Cleanup.UpdatePackages = false;
                        s.Cleanup.FreeSpace = FreeSpaceHandling.Skip;
                        s.Validation.RefreshPackageIndex = false;
                        s.Snapshot.Name = "user-style-image";
                        s.Test.Reboot = false;
                    });
                    Information("IMAGE " + result.Image.ImageId + ": " + result.Test.Summary);
                }
                finally
                {
                    cloud.Dispose();
                }
                """);

            var run = await ProcessRunner.RunAsync(
                "dotnet",
                [RepositoryPaths.CakeDll, "build.cake"],
                app,
                TimeSpan.FromMinutes(10),
                new Dictionary<string,
                    string?> { ["DIGITALOCEAN_TOKEN"] = null, ["DIGITALOCEAN_ACCESS_TOKEN"] = null, ["DIGITALOCEAN_API_TOKEN"] = null,
                    ["DIGITALOCEAN_API_URL"] = null });
            output.WriteLine(run.Output);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("Local cloud ready at http://127.0.0.1:", run.Output);
            Assert.Matches(@"IMAGE \d+: \d+ passed, 0 warnings, 0 failed", run.Output);
            Assert.Contains("Stopping the local cloud", run.Output);
            var table = SandboxLeaks.TableIn(run.Output);
            Assert.NotEmpty(table);
            Assert.Empty(SandboxLeaks.Find(Path.Combine(app, ".local-cloud")));
            Assert.Empty(SandboxLeaks.Links(table));
            Assert.DoesNotContain(table, await SandboxLeaks.NftTablesAsync());
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    [Fact]
    public async Task A_build_killed_with_sigkill_takes_its_local_cloud_and_droplets_down_with_it()
    {
        var work = Directory.CreateTempSubdirectory("cdm-user-kill-").FullName;
        try
        {
            var (addin, tool) = await PackedAddin.PackAsync(work, "userkill", withLocalCloud: true);
            var app = Directory.CreateDirectory(Path.Combine(work, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "build.cake"), $$"""
                {{addin}}
                {{tool}}

                var cloud = DoStartLocalCloud();
                var droplet = DoCreateBuildDroplet(s => s.Name = "orphaned-by-kill");
                Information("DROPLET UP");
                System.Threading.Thread.Sleep(TimeSpan.FromMinutes(10));
                """);

            string table;
            using (
                var cake = ProcessRunner.Start("dotnet", [RepositoryPaths.CakeDll, "build.cake"], app, new Dictionary<string,
                string?> { ["DIGITALOCEAN_TOKEN"] = null, ["DIGITALOCEAN_API_URL"] = null }))
            {
                await cake.WaitForOutputAsync("DROPLET UP", TimeSpan.FromMinutes(5));
                table = SandboxLeaks.TableIn(cake.Output);
                Assert.Single(SandboxLeaks.Links(table));
                cake.Process.Kill(); // the build alone, not its children: as a cancelled runner or the OOM killer does
                await cake.Process.WaitForExitAsync();
            }

            // The local cloud notices within a second or so and stops: droplet, link, table.
            var data = Path.Combine(app, ".local-cloud");
            for (var i = 0; i < 300 && (SandboxLeaks.Find(data).Count > 0 || SandboxLeaks.Links(table).Count > 0); i++)
            {
                await Task.Delay(100);
            }

            Assert.Empty(SandboxLeaks.Find(data));
            Assert.Empty(SandboxLeaks.Links(table));
            Assert.DoesNotContain(table, await SandboxLeaks.NftTablesAsync());
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }
}
