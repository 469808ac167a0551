using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageRules;

/// <summary>
/// The fact collector is read-only (package index refresh off), so it may run on the test machine through the real
/// sshd: this proves the script runs under bash and its output parses into all checks.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CollectFactsOnRealShellTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task The_collector_runs_and_every_check_gets_a_verdict()
    {
        var log = new RecordingLog();
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("host"), log);

        var report = await new ImageValidator(session, log).ValidateAsync(new ValidationSettings { FailOnError = false, RefreshPackageIndex = false },
            CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 19), report.Checks.Select(c => c.Id));
        Assert.StartsWith("Debian GNU/Linux 12", report.OperatingSystem);
        Assert.Equal(CheckLevel.Pass, report.Checks.Single(c => c.Id == 1).Level);
        Assert.Contains("validation:", log.AllText);
    }
}
