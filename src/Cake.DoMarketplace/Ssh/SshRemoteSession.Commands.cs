using System.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Renci.SshNet;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Running commands with output streamed line by line.</summary>
internal sealed partial class SshRemoteSession
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

        if (ssh is not { IsConnected: true })
        {
            // The connection dropped since the last command (a reboot, a network blip): the machine is still ours.
            log.Info($"[{Label}] the SSH connection was closed; reconnecting before the next command");
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
        }

        var marker = CommandMarker.New();
        var output = new RemoteOutput(log, Label, options, marker);
        int exitStatus;
        using (var silence = new SilenceNotice(log, Label, Summary(command, options), output, clock, options.NoOutputNotice))
        {
            try
            {
                exitStatus = await ExecuteAsync(Ssh, marker.Wrap(command), output, timeout.Token).ConfigureAwait(false) ?? -1;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && options.Timeout is { } commandLimit)
            {
                var setting = options.TimeoutSetting ?? $"{nameof(RemoteCommandSettings)}.{nameof(RemoteCommandSettings.Timeout)}";
                throw new WaitTimeoutException($"remote command on {Label}: {Summary(command, options)}", commandLimit, Tail(output), setting);
            }
            catch (Exception e) when (options.ExpectReboot && SshFailure.IsConnectionLost(e))
            {
                log.Info($"[{Label}] connection dropped as expected ({e.GetType().Name}); reconnecting");
                await ReconnectAfterRebootAsync(cancellationToken).ConfigureAwait(false);
                return new RemoteCommandResult(command, 0, output.StandardOutput, output.StandardError, clock.Elapsed);
            }
            catch (Exception e) when (SshFailure.IsConnectionLost(e))
            {
                throw new RemoteConnectionLostException(Label, command, clock.Elapsed, e);
            }
        }

        var result = new RemoteCommandResult(command, exitStatus, output.StandardOutput, output.StandardError, clock.Elapsed);
        if (!output.MarkerSeen)
        {
            throw new RemoteCommandNotRunException(Label, Summary(command, options), output.Answer(exitStatus));
        }

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
    /// Runs <paramref name="commandText"/> on a new channel of <paramref name="client"/> with its standard input closed
    /// at once, as <c>ssh -n</c> and Packer do: a command (or a login file such as <c>.bashrc</c>) that reads its input
    /// gets end-of-file instead of waiting forever. Returns the exit status (null when the server sent none).
    /// </summary>
    private static async Task<int?> ExecuteAsync(SshClient client, string commandText, RemoteOutput output, CancellationToken cancellationToken)
    {
        using var command = client.CreateCommand(commandText);
        var execution = command.ExecuteAsync(cancellationToken);
        CloseInput(command);
        var reading = output.ReadAsync(command.OutputStream, command.ExtendedOutputStream);
        await execution.ConfigureAwait(false);
        await reading.ConfigureAwait(false);
        return command.ExitStatus;
    }

    /// <summary>Sends end-of-file on the command's standard input (<see cref="CommandChannel.SendEof"/>).</summary>
    private static void CloseInput(SshCommand command)
    {
        try
        {
            CommandChannel.SendEof(command);
        }
        catch (Exception e) when (SshFailure.IsChannelGone(e))
        {
            // The command has ended already, or the connection is gone: its execution reports which.
        }
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
            log.Warn($"[{Label}] the connection did not drop within {DurationText.Of(RebootDropTimeout)} after a reboot command; reconnecting anyway");
        }
    }

    private async Task<bool> StillConnectedAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            await ExecuteAsync(Ssh, "true", new RemoteOutput(log, Label, Quiet, marker: null), attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (SshFailure.MeansDisconnected(e, cancellationToken))
        {
            return false;
        }
    }

    /// <summary>The command in one short line, for progress and error messages.</summary>
    internal static string Summary(string command, RemoteCommandSettings options)
    {
        if (options.Description is { } description)
        {
            return description;
        }

        var firstLine = command.TrimStart().Split('\n')[0].TrimEnd();
        var shortened = firstLine.Length > 100 ? firstLine[..100] + "…" : firstLine + (command.TrimEnd().Contains('\n') ? " …" : string.Empty);
        return $"'{shortened}'";
    }

    private static string Tail(RemoteOutput output)
    {
        var text = output.StandardOutput.TrimEnd();
        var lastLine = output.PartialLine.Length > 0 ? output.PartialLine : text[(text.LastIndexOf('\n') + 1)..];
        return lastLine.Length == 0 ? "no output" : $"last output '{lastLine}'";
    }
}
