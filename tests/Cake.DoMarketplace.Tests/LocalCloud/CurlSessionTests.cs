using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>A second client, not ours: curl and OpenSSH following the public API docs (examples/curl/session.sh).</summary>
[Trait("Category", "Integration")]
public sealed class CurlSessionTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    [Fact]
    public async Task A_plain_curl_session_creates_logs_in_powers_off_snapshots_and_deletes()
    {
        var script = Path.Combine(RepositoryPaths.Root, "examples", "curl", "session.sh");

        var run = await ProcessRunner.RunAsync("bash", [script], RepositoryPaths.Root, TimeSpan.FromMinutes(3), new Dictionary<string, string?>
        {
            ["DIGITALOCEAN_API_URL"] = cloud.BaseUrl.ToString(),
            ["DIGITALOCEAN_TOKEN"] = LocalCloudFixture.Token,
        });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"droplet \d+ active at 198\.1[89]\.\d+\.\d+", run.Output);
        Assert.Contains("ssh: curl-session ok", run.Output);
        var ip = System.Text.RegularExpressions.Regex.Match(run.Output, @"active at (\S+)").Groups[1].Value;
        Assert.Contains($"metadata address: {ip}\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("sys_vendor: DigitalOcean\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("hostname resolves: 127.0.1.1 curl-session curl-session\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("droplet-agent: install ok installed\n", run.Output, StringComparison.Ordinal);
        Assert.Contains("powered off: off", run.Output);
        Assert.Matches(@"deleted droplet \d+, snapshot \d+ and key \d+", run.Output);
        Assert.DoesNotContain(LocalCloudFixture.Token, run.Output);
        Assert.Empty(cloud.Leftovers());
    }
}
