using System.Collections.Concurrent;
using System.Text;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>An <see cref="IRemoteSession"/> that records commands and uploads and answers from a script of replies.</summary>
public sealed class FakeSession : IRemoteSession
{
    private readonly List<(string Contains, RemoteCommandResult Reply)> replies = [];

    public string Label { get; init; } = "fake";

    public string Host => "192.0.2.10";

    public int Port => 22;

    public string User => "root";

    public bool IsConnected { get; private set; } = true;

    public ConcurrentQueue<string> Commands { get; } = new();

    public ConcurrentDictionary<string, (string Content, UnixFileMode Mode)> Files { get; } = new();

    private readonly List<string> hanging = [];

    /// <summary>Commands seen (by <see cref="Hang"/>) whose token was cancelled while they ran.</summary>
    public ConcurrentQueue<string> Stopped { get; } = new();

    public FakeSession Reply(string commandContains, string stdout, int exit = 0, string stderr = "")
    {
        replies.Add((commandContains, new RemoteCommandResult(commandContains, exit, stdout, stderr, TimeSpan.Zero)));
        return this;
    }

    /// <summary>Commands containing <paramref name="commandContains"/> run until their token is cancelled, as a command waiting on something would.</summary>
    public FakeSession Hang(string commandContains)
    {
        hanging.Add(commandContains);
        return this;
    }

    public async Task<RemoteCommandResult> RunAsync(string command, RemoteCommandSettings? options = null, CancellationToken cancellationToken = default)
    {
        Commands.Enqueue(command);
        if (hanging.Any(h => command.Contains(h, StringComparison.Ordinal)))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                Stopped.Enqueue(command);
            }
        }

        var reply = replies.LastOrDefault(r => command.Contains(r.Contains, StringComparison.Ordinal)).Reply
                    ?? new RemoteCommandResult(command, 0, string.Empty, string.Empty, TimeSpan.Zero);
        if (reply.ExitStatus != 0 && options?.AllowNonZeroExit != true)
        {
            throw new RemoteCommandException(Label, reply);
        }

        return reply with { Command = command };
    }

    /// <summary>Thrown by every upload when set, as a dropped SFTP channel would.</summary>
    public Exception? UploadFailure { get; set; }

    public async Task UploadAsync(Stream content, string remotePath, UnixFileMode mode, CancellationToken cancellationToken = default)
    {
        if (UploadFailure is not null)
        {
            throw UploadFailure;
        }

        using var reader = new StreamReader(content, Encoding.UTF8);
        Files[remotePath] = (await reader.ReadToEndAsync(cancellationToken), mode);
    }

    public Task<UploadSummary> UploadDirectoryAsync(string localDirectory, string remoteDirectory, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<string> InteractiveLoginAsync(IReadOnlyList<string> input, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task ReconnectAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void Dispose() => IsConnected = false;
}
