using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packages;

/// <summary>
/// The time one package step may wait, in all, while another process holds the package manager's locks
/// (<see cref="PackageSettings.LockTimeout"/>, <c>CleanupSettings.PackageLockTimeout</c>,
/// <c>ValidationSettings.PackageLockTimeout</c>): first here, before the step starts, saying in the Cake log who holds
/// them and for how long; what is left goes to the step's command or script, whose <c>package_run</c> waits again when
/// another process takes the locks as a package command starts (<see cref="PackageLocks"/>). Either wait running out is
/// a <see cref="WaitTimeoutException"/> naming the holder and the setting.
/// </summary>
/// <param name="session">The droplet.</param>
/// <param name="log">Where the waits are told.</param>
/// <param name="timeout">The step's whole wait.</param>
/// <param name="setting">The setting behind <paramref name="timeout"/>, named when it runs out.</param>
internal sealed class PackageLockBudget(IRemoteSession session, ICakeLog log, TimeSpan timeout, string setting)
{
    // A probe is one short SSH command: the first after 0.5 s, then up to every 5 s (waits last minutes when they happen).
    private static readonly PollSchedule Schedule =
        new(TimeSpan.FromMilliseconds(500), 1.5, TimeSpan.FromSeconds(5)) { FirstProbe = TimeSpan.FromMilliseconds(500) };

    private readonly Stopwatch clock = new();

    private string Awaited => $"the package manager on {session.Label} to be free (another process holds its locks)";

    /// <summary>Returns once no process holds the package manager's locks; while one does, says who in the log.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        clock.Start();
        var holders = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (holders.Count == 0)
        {
            return;
        }

        log.Info($"[{session.Label}] the package manager is busy: {PackageLocks.Describe(holders)}; " +
                 $"waiting for its locks (at most {DurationText.Of(timeout)} in all, {setting})");
        try
        {
            await new ProgressWaiter(log).WaitAsync(
                Awaited, Remaining, setting, ProbeAsync, h => h.Count == 0, PackageLocks.Describe, Schedule, cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException e)
        {
            // The waiter counted from its own start; the message gives the step's whole wait, as the setting does.
            throw new WaitTimeoutException(Awaited, timeout, e.LastState, setting, e);
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> with bash after the lock helpers, with what is left of the wait for its own waits.
    /// A failure is a <see cref="RemoteCommandException"/> showing <paramref name="shownCommand"/> (the command without the
    /// helpers), unless the script's wait ran out (<see cref="PackageLocks.TimeoutStatus"/>): then a
    /// <see cref="WaitTimeoutException"/>.
    /// </summary>
    public async Task<RemoteCommandResult> RunAsync(
        string script,
        IReadOnlyDictionary<string, string> variables,
        RemoteCommandSettings settings,
        CancellationToken cancellationToken,
        string? shownCommand = null)
    {
        clock.Start();
        var environment = new Dictionary<string, string>(variables);
        foreach (var (name, value) in PackageLocks.Variables(Remaining, setting))
        {
            environment[name] = value;
        }

        try
        {
            var result = await session.RunBashAsync($"{PackageLocks.Helpers}\npackage_locks_begin\n{script}", environment, settings, cancellationToken)
                .ConfigureAwait(false);
            return shownCommand is null ? result : result with { Command = shownCommand };
        }
        catch (RemoteCommandException e) when (e.Result.ExitStatus == PackageLocks.TimeoutStatus
                                               && PackageLocks.StateAtTimeout(e.Result.StandardError) is { } state)
        {
            throw new WaitTimeoutException(Awaited, timeout, state, setting, e);
        }
        catch (RemoteCommandException e) when (shownCommand is not null)
        {
            throw new RemoteCommandException(session.Label, e.Result with { Command = shownCommand });
        }
    }

    private TimeSpan Remaining => timeout > clock.Elapsed ? timeout - clock.Elapsed : TimeSpan.Zero;

    private async Task<IReadOnlyList<PackageLockHolder>> ProbeAsync(CancellationToken cancellationToken)
    {
        var quiet = new RemoteCommandSettings { LogOutput = false };
        var answer = await session.RunBashAsync(PackageLocks.Probe, options: quiet, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return PackageLocks.ParseHolders(answer.StandardOutput);
        }
        catch (FormatException e)
        {
            throw new PackageLockProbeException(session.Label, e.Message, e);
        }
    }
}
