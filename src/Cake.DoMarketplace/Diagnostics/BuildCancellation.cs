using System.Runtime.InteropServices;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// Cancellation of the alias that is running, by the process's stop signals: Ctrl-C (SIGINT) and SIGTERM, which CI
/// systems send when a job is cancelled (GitHub Actions sends SIGINT, then SIGTERM, then SIGKILL). The first signal
/// during an alias cancels its waits and keeps the process alive, so the alias can still remove the droplet and key it
/// created; a second signal, or one between aliases, ends the process as usual. Each alias run gets a fresh token: one
/// Ctrl-C does not cancel the aliases that run after it (a script's clean-up in its <c>finally</c> or Teardown).
/// </summary>
internal static class BuildCancellation
{
    // Kept for the life of the process: a registration that is collected stops receiving its signal.
    private static readonly List<PosixSignalRegistration> Registrations = [];

    private static readonly Lazy<SignalCancellation> Hooked = new(() =>
    {
        var cancellation = new SignalCancellation();
        foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "SIGINT"), (PosixSignal.SIGTERM, "SIGTERM") })
        {
            try
            {
                Registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = cancellation.Signal(name)));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal cannot send it either.
            }
        }

        return cancellation;
    });

    /// <summary>The process's cancellation, its signal handlers registered on first use.</summary>
    public static SignalCancellation Signals => Hooked.Value;

    /// <summary>Starts an alias run with a fresh token; dispose it when the alias returns.</summary>
    public static AliasRun Begin() => Signals.Begin();

    /// <summary>Runs async domain code from a synchronous Cake alias, as one run with a fresh token.</summary>
    public static T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        using var run = Begin();
        return run.Wait(work);
    }

    /// <inheritdoc cref="Run{T}"/>
    public static void Run(Func<CancellationToken, Task> work)
    {
        using var run = Begin();
        run.Wait(work);
    }
}
