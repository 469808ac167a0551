namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// One open SSH session to a build droplet, kept for the droplet's whole build.
/// </summary>
internal interface IRemoteSession : IDisposable
{
    /// <summary>Who speaks in the log, for example the droplet name.</summary>
    string Label { get; }

    /// <summary>The address connected to.</summary>
    string Host { get; }

    /// <summary>The port connected to.</summary>
    int Port { get; }

    /// <summary>The remote user.</summary>
    string User { get; }

    /// <summary>True while the connection is open.</summary>
    bool IsConnected { get; }

    /// <summary>Runs a command, streaming its output into the log line by line; fails on a non-zero exit unless allowed.</summary>
    Task<RemoteCommandResult> RunAsync(string command, RemoteCommandSettings? options = null, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="content"/> to <paramref name="remotePath"/> with the given mode (octal, e.g. 0x1ED for 0755).</summary>
    Task UploadAsync(Stream content, string remotePath, UnixFileMode mode, CancellationToken cancellationToken = default);

    /// <summary>Copies a local folder tree to <paramref name="remoteDirectory"/>, keeping file modes.</summary>
    Task<UploadSummary> UploadDirectoryAsync(string localDirectory, string remoteDirectory, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs in interactively on a new connection (a shell with a terminal, so the MOTD and /root/.bashrc run, as for a
    /// person), types the given lines, then
    /// <c>exit</c>, and returns everything the terminal showed. A login that does not end within
    /// <paramref name="timeout"/> fails with a <see cref="Diagnostics.WaitTimeoutException"/> whose
    /// <see cref="Diagnostics.WaitTimeoutException.Setting"/> is null: the caller knows which of its settings that was.
    /// </summary>
    Task<string> InteractiveLoginAsync(IReadOnlyList<string> input, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Closes the connection and opens it again, waiting for sshd (after a reboot, for example).</summary>
    Task ReconnectAsync(CancellationToken cancellationToken = default);
}
