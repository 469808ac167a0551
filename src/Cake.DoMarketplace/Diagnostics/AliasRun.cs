namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// One alias run's cancellation: a token of its own, cancelled by the first SIGINT (Ctrl-C) or SIGTERM while the run
/// lasts (<see cref="SignalCancellation"/>). Disposed when the alias returns, so the next alias starts with a fresh one.
/// </summary>
internal sealed class AliasRun : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly Action<AliasRun> end;

    internal AliasRun(Action<AliasRun> end) => this.end = end;

    /// <summary>Cancelled when a signal asks the run to stop.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The signal that cancelled the run (<c>SIGINT</c>, <c>SIGTERM</c>), or null while none did.</summary>
    public string? CancelledBy { get; private set; }

    /// <summary>
    /// Runs async domain code from a synchronous Cake alias with this run's token; a cancellation a signal caused ends in
    /// a <see cref="BuildStoppedException"/> naming it.
    /// </summary>
    public T Wait<T>(Func<CancellationToken, Task<T>> work)
    {
        var token = Token;
        try
        {
            return Task.Run(() => work(token), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e) when (CancelledBy is { } signal)
        {
            throw new BuildStoppedException(signal, e);
        }
    }

    /// <inheritdoc cref="Wait{T}"/>
    public void Wait(Func<CancellationToken, Task> work) =>
        Wait<bool>(async t =>
        {
            await work(t).ConfigureAwait(false);
            return true;
        });

    /// <summary>Cancels the run for <paramref name="signal"/>; false when it was cancelled already.</summary>
    internal bool Cancel(string signal)
    {
        lock (source)
        {
            if (CancelledBy is not null)
            {
                return false;
            }

            CancelledBy = signal;
        }

        source.Cancel();
        return true;
    }

    public void Dispose()
    {
        end(this);
        source.Dispose();
    }
}
