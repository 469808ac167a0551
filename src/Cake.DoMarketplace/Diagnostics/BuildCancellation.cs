namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Turns the first Ctrl-C of a Cake run into a cancellation of the running wait, so the alias can still remove the
/// droplet and key it created; a second Ctrl-C ends the process as usual.
/// </summary>
internal static class BuildCancellation
{
    private static readonly Lazy<CancellationTokenSource> Source = new(() =>
    {
        var source = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!source.IsCancellationRequested)
            {
                e.Cancel = true;
                source.Cancel();
            }
        };
        return source;
    });

    public static CancellationToken Token => Source.Value.Token;

    /// <summary>Runs async domain code from a synchronous Cake alias.</summary>
    public static T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var token = Token;
        return Task.Run(() => work(token), CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="Run{T}"/>
    public static void Run(Func<CancellationToken, Task> work) =>
        Run<bool>(async t =>
        {
            await work(t).ConfigureAwait(false);
            return true;
        });
}
