using System.Diagnostics;
using System.Text;
using Cake.DoMarketplace.Diagnostics;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Running commands with output streamed line by line.</summary>
public sealed partial class SshRemoteSession
{
    private static readonly TimeSpan RebootDropTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public async Task<RemoteCommandResult> RunAsync(string command, RemoteCommandSettings? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        options ??= new RemoteCommandSettings();
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Timeout is { } limit)
        {
            timeout.CancelAfter(limit);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        int exitStatus;
        if (ssh is not { IsConnected: true })
        {
            // The connection dropped since the last command (a reboot, a network blip): the machine is still ours.
            log.Info($"[{Label}] the SSH connection was closed; reconnecting before the next command");
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var sshCommand = Ssh.CreateCommand(command);
            var execution = sshCommand.ExecuteAsync(timeout.Token);
            var pumps = Task.WhenAll(
                PumpLinesAsync(sshCommand.OutputStream, stdout, options.LogOutput ? $"[{Label}] " : null, options.IsRoutineOutput),
                PumpLinesAsync(sshCommand.ExtendedOutputStream, stderr, options.LogOutput ? $"[{Label}:err] " : null, options.IsRoutineOutput));
            await execution.ConfigureAwait(false);
            await pumps.ConfigureAwait(false);
            exitStatus = sshCommand.ExitStatus ?? -1;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && options.Timeout is { } commandLimit)
        {
            throw new WaitTimeoutException($"remote command on {Label}", commandLimit, Tail(stdout), options.TimeoutSetting ?? $"{nameof(RemoteCommandSettings)}.{nameof(RemoteCommandSettings.Timeout)}");
        }
        catch (Exception e) when (options.ExpectReboot && e is SshConnectionException or SshException or IOException or ObjectDisposedException)
        {
            log.Info($"[{Label}] connection dropped as expected ({e.GetType().Name}); reconnecting");
            await ReconnectAfterRebootAsync(cancellationToken).ConfigureAwait(false);
            return new RemoteCommandResult(command, 0, stdout.ToString(), stderr.ToString(), clock.Elapsed);
        }
        catch (Exception e) when (e is SshConnectionException or SshException or IOException or ObjectDisposedException)
        {
            throw new RemoteConnectionLostException(Label, command, clock.Elapsed, e);
        }

        var result = new RemoteCommandResult(command, exitStatus, stdout.ToString(), stderr.ToString(), clock.Elapsed);
        if (options.ExpectReboot)
        {
            await WaitForDisconnectAsync(cancellationToken).ConfigureAwait(false);
            await ReconnectAfterRebootAsync(cancellationToken).ConfigureAwait(false);
        }

        if (exitStatus != 0 && !options.AllowNonZeroExit)
        {
            throw new RemoteCommandException(Label, result);
        }

        return result;
    }

    /// <summary>
    /// A reboot command often returns before the machine goes down: wait until the old connection dies, so the
    /// reconnect reaches the rebooted machine and not the one shutting down.
    /// </summary>
    private async Task WaitForDisconnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await new ProgressWaiter(log).WaitAsync(
                $"the connection to {Label} to drop (the machine is rebooting)",
                RebootDropTimeout,
                timeoutSetting: null,
                StillConnectedAsync,
                connected => !connected,
                connected => connected ? "still connected" : "disconnected",
                PollSchedule.Local,
                cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException)
        {
            log.Warn($"[{Label}] the connection did not drop within {WaitTimeoutException.Format(RebootDropTimeout)} after a reboot command; reconnecting anyway");
        }
    }

    private async Task<bool> StillConnectedAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var probe = Ssh.CreateCommand("true");
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            await probe.ExecuteAsync(attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SshException or IOException or ObjectDisposedException or RemoteSessionClosedException or InvalidOperationException or System.Net.Sockets.SocketException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private async Task PumpLinesAsync(Stream stream, StringBuilder capture, string? logPrefix, Func<string, bool>? isRoutine)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            capture.Append(line).Append('\n');
            if (logPrefix is null)
            {
                continue;
            }

            // Blank lines and routine progress stay in the verbose log (--verbosity=verbose shows everything).
            if (string.IsNullOrWhiteSpace(line) || isRoutine?.Invoke(line) == true)
            {
                log.Detail(logPrefix + line);
            }
            else
            {
                log.Info(logPrefix + line);
            }
        }
    }

    private static string Tail(StringBuilder output)
    {
        var text = output.ToString().TrimEnd();
        var lastLine = text[(text.LastIndexOf('\n') + 1)..];
        return lastLine.Length == 0 ? "no output" : $"last output line '{lastLine}'";
    }
}
