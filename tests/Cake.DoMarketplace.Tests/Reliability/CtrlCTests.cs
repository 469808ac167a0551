using System.Diagnostics;
using System.Text;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>Ctrl-C in a real Cake run stops a long wait promptly and still removes the droplet and key.</summary>
[Trait("Category", "Integration")]
public sealed class CtrlCTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task Ctrl_c_during_a_wait_cancels_it_and_cleans_up()
    {
        var work = Directory.CreateTempSubdirectory("cdm-ctrlc-").FullName;
        try
        {
            var addin = await PackedAddin.PackAsync(work, "ctrlc");
            File.WriteAllText(Path.Combine(work, "build.cake"), $$"""
                {{addin}}
                DoCreateBuildDroplet(s => { s.Name = "ctrl-c"; s.ActiveTimeout = TimeSpan.FromMinutes(10); });
                """);
            await FaultControl.SetAsync(cloud, new FaultOptions { StuckInNew = true });

            var start = new ProcessStartInfo("dotnet", [RepositoryPaths.CakeDll, "build.cake"]) { WorkingDirectory = work, RedirectStandardOutput = true,
                RedirectStandardError = true };
            start.Environment["DIGITALOCEAN_TOKEN"] = LocalCloudFixture.Token;
            start.Environment["DIGITALOCEAN_API_URL"] = cloud.BaseUrl.ToString();
            using var cake = Process.Start(start)!;
            var output = new StringBuilder();
            var waiting = new TaskCompletionSource();
            void Collect(string? line)
            {
                if (line is null) { return; }
                lock (output) { output.AppendLine(line); }
                if (line.Contains("Waiting for droplet", StringComparison.Ordinal)) { waiting.TrySetResult(); }
            }

            cake.OutputDataReceived += (_, e) => Collect(e.Data);
            cake.ErrorDataReceived += (_, e) => Collect(e.Data);
            cake.BeginOutputReadLine();
            cake.BeginErrorReadLine();
            await waiting.Task.WaitAsync(TimeSpan.FromMinutes(3));

            using (var kill = Process.Start("kill", ["-INT", cake.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await cake.WaitForExitAsync(limit.Token);

            var text = output.ToString();
            Assert.NotEqual(0, cake.ExitCode);
            Assert.Contains("Deleted droplet", text);
            Assert.Contains("Deleted temporary SSH key", text);
            using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
            Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
            Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
            Assert.DoesNotContain(LocalCloudFixture.Token, text);
        }
        finally
        {
            await FaultControl.SetAsync(cloud, new FaultOptions());
            Directory.Delete(work, true);
        }
    }
}
