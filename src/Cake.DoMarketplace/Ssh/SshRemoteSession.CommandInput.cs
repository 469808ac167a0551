using Cake.DoMarketplace.Diagnostics;
using System.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Commands fed on their standard input: uploads as one stream through one exec channel.</summary>
internal sealed partial class SshRemoteSession
{
    // SSH.NET sends each write as its own channel packet(s): a buffer turns tar's 512-byte headers and small files into
    // full packets.
    private const int CommandInputBuffer = 256 * 1024;

    /// <summary>
    /// Runs <paramref name="command"/> while <paramref name="writeInput"/> writes its standard input, as it is produced
    /// (the SSH channel's window holds the writer back, so nothing is buffered whole); end of input when the writer
    /// returns. Fails with <see cref="RemoteCommandException"/> on a non-zero exit, with
    /// <see cref="RemoteCommandNotRunException"/> when the login did not run it (its marker never came), and with the
    /// writer's own exception when the local side fails (the remote command is then stopped).
    /// </summary>
    private async Task<RemoteCommandResult> RunWithInputAsync(string command, Func<Stream, CancellationToken, Task> writeInput,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (ssh is not { IsConnected: true })
        {
            log.Info($"[{Label}] the SSH connection was closed; reconnecting before the next command");
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
        }

        var marker = CommandMarker.New();
        var output = new RemoteOutput(log, Label, Quiet, marker);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sshCommand = Ssh.CreateCommand(marker.Wrap(command));
        var execution = sshCommand.ExecuteAsync(stop.Token);
        var reading = output.ReadAsync(sshCommand.OutputStream, sshCommand.ExtendedOutputStream);
        try
        {
            await using var input = sshCommand.CreateInputStream();
            await using var buffered = new BufferedStream(input, CommandInputBuffer);
            await writeInput(buffered, cancellationToken).ConfigureAwait(false);
            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!execution.IsCompleted)
        {
            // The local side failed (a file vanished, cancellation): stop the remote command, report the local error.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(execution, reading).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (SshFailure.IsConnectionLost(e))
        {
            // The remote command ended while we were still writing (tar refused an entry, the disk filled): its exit
            // status and stderr below say why.
        }

        try
        {
            await execution.ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
        catch (Exception e) when (SshFailure.IsConnectionLost(e))
        {
            throw new RemoteConnectionLostException(Label, command, clock.Elapsed, e);
        }

        var exitStatus = sshCommand.ExitStatus ?? -1;
        if (!output.MarkerSeen)
        {
            throw new RemoteCommandNotRunException(Label, Summary(command, Quiet), output.Answer(exitStatus));
        }

        var result = new RemoteCommandResult(command, exitStatus, output.StandardOutput, output.StandardError, clock.Elapsed);
        return result.Succeeded ? result : throw new RemoteCommandException(Label, result);
    }
}
