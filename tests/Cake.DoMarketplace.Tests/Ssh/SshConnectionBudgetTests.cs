using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>A session's new SSH connections stay under ufw's "limit" rate (the 6th within 30 s is rejected).</summary>
public sealed class SshConnectionBudgetTests
{
    [Fact]
    public async Task Five_connections_go_at_once_and_the_sixth_waits_for_the_window_saying_why()
    {
        var log = new RecordingLog();
        var budget = new SshConnectionBudget();
        const string host = "198.18.0.2";
        for (var i = 0; i < SshConnectionBudget.PerWindow; i++)
        {
            await budget.WaitTurnAsync(host, 22, log, "droplet", CancellationToken.None);
        }

        Assert.Empty(log.Lines);
        using var stop = new CancellationTokenSource();
        var sixth = budget.WaitTurnAsync(host, 22, log, "droplet", stop.Token);
        Assert.False(sixth.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sixth);
        Assert.Contains(log.Lines, l => l.Text.Contains($"before the next connection to {host}:22", StringComparison.Ordinal)
            && l.Text.Contains("ufw", StringComparison.Ordinal));

        // Budgets are per session: another session (another droplet that got the address since) is not held up.
        await new SshConnectionBudget().WaitTurnAsync(host, 22, log, "droplet", CancellationToken.None);
    }
}
