using System.Net.Sockets;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// The one place that reads SSH.NET's exceptions: which mean the connection (or its channel) is gone, and which mean a
/// connection could not be made yet. Callers decide what to do; they never keep lists of their own.
/// </summary>
internal static class SshFailure
{
    /// <summary>
    /// The connection is gone (the machine rebooted or went away, sshd restarted, the network dropped): a command's
    /// outcome is unknown. <see cref="SshConnectionException"/> is an <see cref="SshException"/>; SFTP's and SCP's
    /// refusals (no such path, permission denied) are SSH exceptions too, but answers over a live connection, not a loss.
    /// </summary>
    public static bool IsConnectionLost(Exception e) =>
        e is (SshException and not (SftpPathNotFoundException or SftpPermissionDeniedException or ScpException))
            or IOException or ObjectDisposedException or SocketException;

    /// <summary>
    /// A command's channel can take no more: the connection is gone, or the command has already ended and SSH.NET
    /// refuses to write to its closed channel (<see cref="InvalidOperationException"/>).
    /// </summary>
    public static bool IsChannelGone(Exception e) => IsConnectionLost(e) || e is InvalidOperationException;

    /// <summary>
    /// A probe over an open session ("is it still connected?") found it gone: its channel is gone, the session has
    /// closed, or the probe got no answer in its own time limit (not the caller's cancellation).
    /// </summary>
    public static bool MeansDisconnected(Exception e, CancellationToken callerToken) =>
        IsChannelGone(e) || e is RemoteSessionClosedException || (e is OperationCanceledException && !callerToken.IsCancellationRequested);

    /// <summary>
    /// A connect attempt that may succeed later: sshd not listening yet or restarting, or cloud-init not yet done writing
    /// authorized_keys.
    /// </summary>
    public static bool IsRetryableConnect(Exception e) =>
        e is SocketException or SshConnectionException or SshOperationTimeoutException or SshAuthenticationException or ProxyException
            or IOException or TimeoutException;
}
