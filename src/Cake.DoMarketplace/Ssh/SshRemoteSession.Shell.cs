using System.Text;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Interactive logins: a shell with a terminal, as a person gets one (MOTD, .bashrc, first-login scripts).</summary>
internal sealed partial class SshRemoteSession
{
    /// <inheritdoc />
    public async Task<string> InteractiveLoginAsync(IReadOnlyList<string> input, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // A login of its own: sshd opens the PAM session (and so shows the MOTD) once per connection, not per channel,
        // so no command is tried on it first.
        using var login = await OpenAsync(c => new Renci.SshNet.SshClient(c), "SSH login", cancellationToken, proveCommands: false).ConfigureAwait(false);
        using var shell = login.CreateShellStream("xterm", 120, 40, 960, 640, 65536);

        // Bytes, decoded once at the end: a read can end inside a multi-byte character.
        using var output = new MemoryStream();
        var buffer = new byte[8192];
        foreach (var line in input)
        {
            shell.WriteLine(line);
        }

        shell.WriteLine("exit");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            int read;
            while ((read = await shell.ReadAsync(buffer, deadline.Token).ConfigureAwait(false)) > 0)
            {
                output.Write(buffer, 0, read);
            }

            return Encoding.UTF8.GetString(output.ToArray());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        throw new WaitTimeoutException($"an interactive login on {Label} to end", timeout, $"{output.Length} bytes of output", setting: null);
    }
}
