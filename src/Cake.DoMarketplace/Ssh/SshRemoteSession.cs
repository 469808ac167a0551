using System.Net.Sockets;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// <see cref="IRemoteSession"/> on SSH.NET: one SSH connection for commands, plus one SFTP connection opened on first
/// upload, both kept until the session is disposed.
/// </summary>
internal sealed partial class SshRemoteSession : IRemoteSession
{
    private static readonly RemoteCommandSettings Quiet = new() { LogOutput = false, NoOutputNotice = null };
    private readonly SshConnectOptions options;
    private readonly SshConnectionBudget connections = new();
    private readonly ICakeLog log;
    private readonly PrivateKeyFile keyFile;
    private SshClient? ssh;
    private SftpClient? sftp;

    private SshRemoteSession(SshConnectOptions options, ICakeLog log)
    {
        this.options = options;
        this.log = log;
        Label = string.IsNullOrEmpty(options.Label) ? options.Host : options.Label;
        keyFile = options.Key?.ToPrivateKeyFile() ?? ReadKey(
            options.PrivateKeyText ?? throw new ArgumentException("SshConnectOptions needs Key or PrivateKeyText."));
    }

    /// <inheritdoc />
    public string Label { get; }

    /// <inheritdoc />
    public string Host => options.Host;

    /// <inheritdoc />
    public int Port => options.Port;

    /// <inheritdoc />
    public string User => options.User;

    /// <inheritdoc />
    public bool IsConnected => ssh?.IsConnected == true;

    /// <summary>The SHA256 fingerprint of the host key the server presented.</summary>
    public string? HostKeyFingerprint { get; private set; }

    /// <summary>Opens a session, retrying until sshd answers and accepts the key or <see cref="SshConnectOptions.ConnectTimeout"/> passes.</summary>
    public static async Task<SshRemoteSession> ConnectAsync(SshConnectOptions options, ICakeLog log, CancellationToken cancellationToken = default)
    {
        var session = new SshRemoteSession(options, RedactingCakeLog.Wrap(log));
        try
        {
            session.ssh = await session.OpenAsync(c => new SshClient(c), "SSH", cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        CloseClients();
        ssh = await OpenAsync(c => new SshClient(c), "SSH", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reconnects after a reboot: no machine is back within a second, and every early attempt would be refused and
    /// spend the droplet's SSH rate limit (<see cref="SshConnectionBudget"/>), so the first try waits that long.
    /// </summary>
    private async Task ReconnectAfterRebootAsync(CancellationToken cancellationToken)
    {
        CloseClients();
        ssh = await OpenAsync(c => new SshClient(c), "SSH", cancellationToken, PollSchedule.Reboot).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CloseClients();
        keyFile.Dispose();
    }

    private void CloseClients()
    {
        foreach (BaseClient? client in new BaseClient?[] { sftp, ssh })
        {
            try
            {
                client?.Dispose();
            }
            catch (Exception e) when (SshFailure.IsConnectionLost(e))
            {
                // The connection is gone already.
            }
        }

        sftp = null;
        ssh = null;
    }

    /// <summary>
    /// Opens a connection, retrying within <see cref="SshConnectOptions.ConnectTimeout"/>. An SSH connection for commands
    /// counts only once its login runs one (<paramref name="proveCommands"/>); an interactive login's connection is not
    /// tried first (sshd shows the MOTD in its first session), and comes after the session's own proved it.
    /// </summary>
    private async Task<T> OpenAsync<T>(
        Func<ConnectionInfo, T> create, string what, CancellationToken cancellationToken, PollSchedule? afterReboot = null, bool proveCommands = true)
        where T : BaseClient
    {
        if (afterReboot is not null)
        {
            await Task.Delay(afterReboot.First, cancellationToken).ConfigureAwait(false);
        }

        // ProgressWaiter says what is awaited, the last error while it lasts, and when the connection is up.
        var refusals = proveCommands && typeof(T) == typeof(SshClient) ? new LoginRefusals(options.ConnectTimeout) : null;
        var (client, _) = await new ProgressWaiter(log).WaitAsync(
            $"{what} on {options.User}@{options.Host}:{options.Port} ({Label})",
            options.ConnectTimeout,
            options.ConnectTimeoutSetting,
            t => TryConnectAsync(create, what, refusals, t),
            attempt => attempt.Client is not null,
            attempt => attempt.Error ?? "connected",
            afterReboot ?? PollSchedule.Local,
            cancellationToken).ConfigureAwait(false);
        client!.KeepAliveInterval = TimeSpan.FromSeconds(15);
        return client;
    }

    /// <summary>
    /// One connection attempt, within the session's connection budget: the client, or why it failed for now. With
    /// <paramref name="refusals"/> (a connection for commands), it counts only once its login runs one (<see cref="RefusesCommandsAsync"/>).
    /// What <see cref="SshFailure.IsRetryableConnect"/> does not call passing ends the wait: a host key other than the
    /// pinned one as <see cref="HostKeyMismatchException"/>, anything else as <see cref="RemoteConnectFailedException"/>.
    /// </summary>
    private async Task<(T? Client, string? Error)> TryConnectAsync<T>(
        Func<ConnectionInfo, T> create, string what, LoginRefusals? refusals, CancellationToken cancellationToken)
        where T : BaseClient
    {
        await connections.WaitTurnAsync(options.Host, options.Port, log, Label, cancellationToken).ConfigureAwait(false);
        var info = new ConnectionInfo(options.Host, options.Port, options.User, new PrivateKeyAuthenticationMethod(options.User, keyFile))
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        SshAlgorithmPreferences.Apply(info);
        var client = create(info);
        HostKeyMismatchException? mismatch = null;
        client.HostKeyReceived += (_, e) =>
        {
            var presented = OpenSshKeyEncoding.Sha256Fingerprint(e.HostKey);
            e.CanTrust = options.HostKeys.Accepts(e.HostKey);
            if (!e.CanTrust)
            {
                mismatch = new HostKeyMismatchException(Label, options.HostKeys.ExpectedFingerprint ?? "?", presented);
            }
            else if (HostKeyFingerprint != presented)
            {
                HostKeyFingerprint = presented;
                log.Detail($"[{Label}] host key {e.HostKeyName} {presented}" + (options.HostKeys.IsPinned ? " (pinned, matches)" : " (not pinned)"));
            }
        };

        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (SshFailure.IsRetryableConnect(e) && mismatch is null)
        {
            client.Dispose();
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
        catch (Exception e) when (mismatch is not null || e is not OperationCanceledException)
        {
            client.Dispose();
            throw mismatch ?? (Exception)new RemoteConnectFailedException(Label, Target, $"the {what} connection failed", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        string? refusal;
        try
        {
            refusal = refusals is not null && client is SshClient commands
                ? await RefusesCommandsAsync(commands, refusals, cancellationToken).ConfigureAwait(false)
                : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            client.Dispose();
            throw new RemoteConnectFailedException(Label, Target, $"the {what} connection's first command failed", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        if (refusal is not null)
        {
            client.Dispose();
            return (null, refusal);
        }

        return (client, null);
    }

    /// <summary>The login tried, as an error names it.</summary>
    private string Target => $"{options.User}@{options.Host}:{options.Port}";

    /// <summary>
    /// Reads a private key given as text (a kept droplet's key file, for <c>DoAttachBuildDroplet</c>). Text that is no
    /// key SSH.NET reads, or a key with a passphrase, fails here, named, before any connection is tried. Any error of
    /// the parse counts: reading text in memory fails for no passing reason, and SSH.NET's parsers throw many types
    /// (its own, <see cref="FormatException"/>, ASN.1's).
    /// </summary>
    private PrivateKeyFile ReadKey(string privateKeyText)
    {
        try
        {
            return new PrivateKeyFile(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(privateKeyText)));
        }
        catch (Exception e)
        {
            throw new RemoteConnectFailedException(Label, Target, "the private key could not be read (an OpenSSH private key without passphrase is "
                                                                  + "needed)", e);
        }
    }

    private SshClient Ssh => ssh is { IsConnected: true } client
        ? client
        : throw new RemoteSessionClosedException(Label);
}
