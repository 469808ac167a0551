using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>Cancellation per alias run: a signal cancels the run in progress, never the next one.</summary>
public sealed class SignalCancellationTests
{
    private readonly SignalCancellation signals = new();

    [Fact]
    public void A_signal_cancels_the_running_alias_and_the_next_alias_starts_with_a_fresh_token()
    {
        CancellationToken first;
        using (var run = signals.Begin())
        {
            first = run.Token;
            Assert.True(signals.Signal("SIGINT"));
            Assert.True(run.Token.IsCancellationRequested);
            Assert.Equal("SIGINT", run.CancelledBy);
        }

        using var next = signals.Begin();

        Assert.True(first.IsCancellationRequested);
        Assert.False(next.Token.IsCancellationRequested);
        Assert.Null(next.CancelledBy);
        Assert.Equal(42, next.Wait(t => Task.FromResult(t.IsCancellationRequested ? 0 : 42)));
    }

    [Fact]
    public void A_second_signal_during_the_same_run_is_left_to_end_the_process()
    {
        using var run = signals.Begin();

        Assert.True(signals.Signal("SIGINT"));
        Assert.False(signals.Signal("SIGTERM"));
        Assert.Equal("SIGINT", run.CancelledBy);
    }

    [Fact]
    public void A_signal_between_aliases_cancels_nothing_and_is_left_to_end_the_process()
    {
        using (signals.Begin())
        {
        }

        Assert.False(signals.Signal("SIGTERM"));
        using var next = signals.Begin();
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task A_signal_stops_the_work_of_the_run_and_an_alias_called_inside_it_alike()
    {
        using var outer = signals.Begin();
        using var inner = signals.Begin(); // an alias called from DoBuildImage's Provision hook
        var waiting = Task.Run(() => inner.Wait(t => Task.Delay(Timeout.Infinite, t)));

        Assert.True(signals.Signal("SIGTERM"));

        var stopped = await Assert.ThrowsAsync<BuildStoppedException>(() => waiting);
        Assert.Equal("SIGTERM", stopped.Signal);
        Assert.True(outer.Token.IsCancellationRequested);
    }

    [Fact]
    public void The_aliases_entry_point_runs_each_call_as_a_run_of_its_own()
    {
        var tokens = new List<CancellationToken>();

        BuildCancellation.Run(t => Task.FromResult(tokens.Count).ContinueWith(_ => tokens.Add(t), TaskScheduler.Default));
        BuildCancellation.Run(t => Task.FromResult(tokens.Count).ContinueWith(_ => tokens.Add(t), TaskScheduler.Default));

        Assert.Equal(2, tokens.Count);
        Assert.NotEqual(tokens[0], tokens[1]);
        Assert.All(tokens, t => Assert.False(t.IsCancellationRequested));
    }
}
