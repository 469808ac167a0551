using System.Net.Sockets;
using Cake.DoMarketplace.Ssh;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>The one classifier of SSH.NET's exceptions that every part of the SSH session asks.</summary>
public sealed class SshFailureTests
{
    public static TheoryData<Exception, bool> LostOrNot => new()
    {
        { new SshConnectionException("An established connection was aborted"), true },
        { new SshOperationTimeoutException("Session operation has timed out"), true },
        { new IOException("Broken pipe"), true },
        { new SocketException((int)SocketError.ConnectionReset), true },
        { new ObjectDisposedException("SshClient"), true },
        { new SftpPathNotFoundException("No such file"), false },
        { new SftpPermissionDeniedException("Permission denied"), false },
        { new ScpException("scp: refused"), false },
        { new InvalidOperationException("channel closed"), false },
        { new ArgumentException("bad"), false },
    };

    [Theory]
    [MemberData(nameof(LostOrNot))]
    public void A_lost_connection_is_told_from_an_answer_over_a_live_one(Exception e, bool lost) =>
        Assert.Equal(lost, SshFailure.IsConnectionLost(e));

    [Fact]
    public void A_closed_command_channel_counts_as_gone_but_a_programming_error_does_not()
    {
        Assert.True(SshFailure.IsChannelGone(new InvalidOperationException("channel closed")));
        Assert.True(SshFailure.IsChannelGone(new SshConnectionException("gone")));
        Assert.False(SshFailure.IsChannelGone(new ArgumentException("bad")));
    }

    [Fact]
    public void A_probe_that_timed_out_means_disconnected_but_the_callers_cancellation_does_not()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(SshFailure.MeansDisconnected(new OperationCanceledException(), CancellationToken.None));
        Assert.False(SshFailure.MeansDisconnected(new OperationCanceledException(), cancelled.Token));
        Assert.True(SshFailure.MeansDisconnected(new RemoteSessionClosedException("build"), CancellationToken.None));
        Assert.False(SshFailure.MeansDisconnected(new ArgumentException("bad"), CancellationToken.None));
    }

    [Fact]
    public void Only_a_connect_that_may_succeed_later_is_retried()
    {
        Assert.True(SshFailure.IsRetryableConnect(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.True(SshFailure.IsRetryableConnect(new SshAuthenticationException("Permission denied (publickey)")));
        Assert.False(SshFailure.IsRetryableConnect(new ArgumentException("bad key")));
    }
}
