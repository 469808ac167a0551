using Cake.DoMarketplace.Diagnostics;
using System.Diagnostics;
using System.Text;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Commands fed on their standard input: uploads as one stream through one exec channel.</summary>
public sealed partial class SshRemoteSession
{
    // SSH.NET sends each write as its own channel packet(s): a buffer turns tar's 512-byte headers and small files into
    // full packets.
    private const int CommandInputBuffer = 256 * 1024;

    /// <summary>
    /// Runs <paramref name="command"/> while <paramref name="writeInput"/> writes its standard input, as it is produced
    /// (the SSH channel's window holds the writer back, so nothing is buffered whole); end of input when the writer
    /// returns. Fails with <see cref="RemoteCommandException"/> on a non-zero exit, and with the writer's own exception
    /// when the local side fails (the remote command is then stopped).
    /// </summary>
    private async Task<RemoteCommandResult> RunWithInputAsync(string command, Func<Stream, CancellationToken, Task> writeInput, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (ssh is not { IsConnected: true })
        {
            log.Info($"[{Label}] the SSH connection was closed; reconnecting before the next command");
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sshCommand = Ssh.CreateCommand(command);
        var execution = sshCommand.ExecuteAsync(stop.Token);
        var stdout = ReadAllAsync(sshCommand.OutputStream);
        var stderr = ReadAllAsync(sshCommand.ExtendedOutputStream);
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
            await Task.WhenAll(execution, stdout, stderr).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is SshException or IOException or ObjectDisposedException)
        {
            // The remote command ended while we were still writing (tar refused an entry, the disk filled): its exit
            // status and stderr below say why.
        }

        try
        {
            await execution.ConfigureAwait(false);
        }
        catch (Exception e) when (e is SshConnectionException or SshException or IOException or ObjectDisposedException)
        {
            throw new RemoteConnectionLostException(Label, command, clock.Elapsed, e);
        }

        var result = new RemoteCommandResult(command, sshCommand.ExitStatus ?? -1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), clock.Elapsed);
        return result.Succeeded ? result : throw new RemoteCommandException(Label, result);
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }
}
