using System.Diagnostics;
using System.Text;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Interactive logins: a shell with a terminal, as a person gets one (MOTD, .bashrc, first-login scripts).</summary>
public sealed partial class SshRemoteSession
{
    /// <inheritdoc />
    public async Task<string> InteractiveLoginAsync(IReadOnlyList<string> input, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();

        // A login of its own: sshd opens the PAM session (and so shows the MOTD) once per connection, not per channel.
        using var login = await OpenAsync(c => new Renci.SshNet.SshClient(c), "SSH login", cancellationToken).ConfigureAwait(false);
        using var shell = login.CreateShellStream("xterm", 120, 40, 960, 640, 65536);
        var output = new StringBuilder();
        var buffer = new byte[8192];
        foreach (var line in input)
        {
            shell.WriteLine(line);
        }

        shell.WriteLine("exit");
        while (clock.Elapsed < timeout)
        {
            using var slice = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            slice.CancelAfter(TimeSpan.FromMilliseconds(500));
            int read;
            try
            {
                read = await shell.ReadAsync(buffer, slice.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            if (read == 0)
            {
                return output.ToString();
            }

            output.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        throw new WaitTimeoutException($"an interactive login on {Label} to end", timeout, $"{output.Length} characters of output", setting: null);
    }
}
