using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Scripting;

/// <summary>
/// Proof that the addin works as users load it: packed into a folder feed, loaded by a real Cake 7 script with
/// <c>#addin … &amp;loaddependencies=true</c>, and its aliases run — one over SSH to a real sshd. Cake's script compiler
/// rejects alias signatures it cannot bind, so this catches what unit tests cannot.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PackedAddinInCakeScriptTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task A_cake_script_loads_the_packed_addin_and_runs_its_aliases()
    {
        var work = Directory.CreateTempSubdirectory("cdm-cake-").FullName;
        try
        {
            var addin = await PackedAddin.PackAsync(work, "script");
            var keyPath = Path.Combine(work, "build_key");
            sshd.Key.WritePrivateKeyFile(keyPath);
            var remoteFile = Path.Combine(sshd.WorkFolder, "from cake $(touch pwned)", "note.txt");
            File.WriteAllText(Path.Combine(work, "build.cake"), $$"""
                {{addin}}

                var machine = DoAttachBuildDroplet(new AttachDropletSettings
                {
                    Host = "127.0.0.1",
                    Port = {{sshd.Port}},
                    User = "{{SshdFixture.User}}",
                    PrivateKeyPath = "build_key",
                    KnownHostKey = "{{sshd.HostKey.PublicKeyLine}}",
                    Label = "script-droplet",
                });
                var result = DoRunRemote(machine, "echo hello-from-cake; echo to-stderr >&2");
                Information("exit status " + result.ExitStatus);
                var allowed = DoRunRemote(machine, "exit 7", s => s.AllowNonZeroExit = true);
                Information("allowed exit " + allowed.ExitStatus);
                DoWriteRemoteFile(machine, "{{remoteFile}}", "written by cake\n", "600");
                machine.Dispose();

                try
                {
                    DoCreateBuildDroplet(new BuildDropletSettings { Region = "nyc3" });
                }
                catch (Exception e)
                {
                    Information("EXPECTED: " + e.Message);
                }

                try
                {
                    DoCreateBuildDroplet(s => s.Name = "bad name!");
                }
                catch (Exception e)
                {
                    Information("EXPECTED: " + e.Message);
                }
                """);

            var run = await ProcessRunner.RunAsync(
                "dotnet",
                [RepositoryPaths.CakeDll, "build.cake", "--verbosity=normal"],
                work,
                TimeSpan.FromMinutes(5),
                new Dictionary<string, string?> { ["DIGITALOCEAN_TOKEN"] = null, ["DIGITALOCEAN_ACCESS_TOKEN"] = null, ["DIGITALOCEAN_API_TOKEN"] = null });

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("[script-droplet] hello-from-cake", run.Output);
            Assert.Contains("[script-droplet:err] to-stderr", run.Output);
            Assert.Contains("exit status 0", run.Output);
            Assert.Contains("allowed exit 7", run.Output);
            Assert.Equal("written by cake\n", File.ReadAllText(remoteFile));
            Assert.False(File.Exists(Path.Combine(sshd.WorkFolder, "pwned")), "a quoted remote path must never run as a command");
            Assert.Contains("EXPECTED: No DigitalOcean API token. Set BuildDropletSettings.Token", run.Output);
            Assert.Contains("EXPECTED: BuildDropletSettings.Name 'bad name!' is not a valid droplet name", run.Output);
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }
}
