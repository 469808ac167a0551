using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// SIGTERM, what a CI system sends a cancelled job (GitHub Actions: SIGINT, then SIGTERM, then SIGKILL), to a real Cake
/// run during DoBuildImage: the build stops, its clean-ups remove the droplet and key (the orphan sweep is not needed),
/// the script's next alias starts with a fresh token, and the run fails.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SigtermTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Sigterm_during_a_build_runs_its_clean_ups_and_the_next_alias_starts_fresh()
    {
        var work = Directory.CreateTempSubdirectory("cdm-sigterm-").FullName;
        try
        {
            var addin = await PackedAddin.PackAsync(work, "sigterm");
            var scripts = Directory.CreateDirectory(Path.Combine(work, "scripts")).FullName;
            File.WriteAllText(Path.Combine(scripts, "10-waits.sh"), "#!/bin/sh\necho BUILD SCRIPT RUNNING\nsleep 600\n");
            File.WriteAllText(Path.Combine(work, "build.cake"), $$"""
                {{addin}}
                try
                {
                    DoBuildImage(s =>
                    {
                        s.Droplet.Name = "sigterm-build";
                        s.UpdatePackages = false;
                        s.ScriptsDirectory = "./scripts";
                    });
                }
                finally
                {
                    // The clean-up a script runs after a cancelled alias: it must not start cancelled.
                    DoDeleteSnapshot(987654321, new DoApiSettings());
                    Information("NEXT ALIAS RAN");
                }
                """);

            var (text, exitCode) = await RunThenSigtermAsync(work, "BUILD SCRIPT RUNNING");
            output.WriteLine(text);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("SIGTERM received: the build stops; its clean-ups run now", text);
            Assert.Contains("Stopped by SIGTERM: the running alias was cancelled and its clean-ups ran", text);
            Assert.Matches(@"Deleted droplet \d+", text);
            Assert.Matches(@"Deleted temporary SSH key \d+", text);
            Assert.Contains("Snapshot 987654321 was already gone", text);
            Assert.Contains("NEXT ALIAS RAN", text);
            Assert.DoesNotContain(LocalCloudFixture.Token, text);
            using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
            Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
            Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
            Assert.Empty(cloud.Leftovers());
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    [Fact]
    public async Task Sigterm_during_variants_cancels_every_variant_each_cleans_up_and_nothing_is_left()
    {
        var work = Directory.CreateTempSubdirectory("cdm-sigterm-variants-").FullName;
        try
        {
            var addin = await PackedAddin.PackAsync(work, "sigterm-variants");
            var scripts = Directory.CreateDirectory(Path.Combine(work, "scripts")).FullName;
            File.WriteAllText(Path.Combine(scripts, "10-waits.sh"), "#!/bin/sh\necho VARIANT SCRIPT RUNNING\nsleep 600\n");
            File.WriteAllText(Path.Combine(work, "build.cake"), $$"""
                {{addin}}
                DoBuildImages(
                    s =>
                    {
                        s.Droplet.Name = "sigterm-variants";
                        s.UpdatePackages = false;
                        s.ScriptsDirectory = "./scripts";
                        s.Snapshot.Name = "sigterm";
                    },
                    new[] { new ImageVariant("first"), new ImageVariant("second") },
                    new BuildImagesSettings { MaxParallel = 2 });
                """);

            var (text, exitCode) = await RunThenSigtermAsync(work, "[first] ", "[second] ", "VARIANT SCRIPT RUNNING");
            output.WriteLine(text);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("SIGTERM received: the build stops; its clean-ups run now", text);
            Assert.Contains("Error: Stopped by SIGTERM", text);
            foreach (var variant in new[] { "first", "second" })
            {
                Assert.Matches($@"\[{variant}\] .*Deleted droplet \d+", text);
                Assert.Matches($@"\[{variant}\] .*Deleted temporary SSH key \d+", text);
            }

            Assert.Matches(@"(?m)^Result\s+(Cancelled|NotStarted)\s+(Cancelled|NotStarted)\s*$", text);
            Assert.DoesNotContain(LocalCloudFixture.Token, text);
            using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
            Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
            Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
            Assert.Empty(await api.ListPrivateImagesAsync());
            Assert.Empty(cloud.Leftovers());
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    /// <summary>
    /// Runs the folder's build.cake against the local cloud, sends SIGTERM once every awaited text has been printed, and
    /// returns its output (Cake's colours removed) and exit code.
    /// </summary>
    private async Task<(string Text, int ExitCode)> RunThenSigtermAsync(string work, params string[] awaited)
    {
        using var cake = ProcessRunner.Start(
            "dotnet",
            [RepositoryPaths.CakeDll, "build.cake"],
            work,
            new Dictionary<string, string?> { ["DIGITALOCEAN_TOKEN"] = LocalCloudFixture.Token, ["DIGITALOCEAN_API_URL"] = cloud.BaseUrl.ToString() });
        foreach (var text in awaited)
        {
            await cake.WaitForOutputAsync(text, TimeSpan.FromMinutes(5));
        }

        var pid = cake.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var kill = System.Diagnostics.Process.Start("kill", ["-s", "TERM", pid])!)
        {
            await kill.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await cake.Process.WaitForExitAsync(limit.Token);
        return (System.Text.RegularExpressions.Regex.Replace(cake.Output, @"\x1b\[[0-9;]*m", string.Empty), cake.Process.ExitCode);
    }
}
