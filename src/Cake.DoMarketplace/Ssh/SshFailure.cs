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
    /// The connection or the command's channel is gone (the machine rebooted or went away, sshd restarted, the network
    /// dropped): a command's outcome is unknown. <see cref="SshConnectionException"/> is an <see cref="SshException"/>.
    /// </summary>
    public static bool IsConnectionLost(Exception e) =>
        e is SshException or IOException or ObjectDisposedException or SocketException;

    /// <summary>
    /// A connect attempt that may succeed later: sshd not listening yet or restarting, or cloud-init not yet done writing
    /// authorized_keys.
    /// </summary>
    public static bool IsRetryableConnect(Exception e) =>
        e is SocketException or SshConnectionException or SshOperationTimeoutException or SshAuthenticationException or ProxyException
            or IOException or TimeoutException;
}
