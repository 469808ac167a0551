using System.Net;
using System.Net.Sockets;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// A connect that more waiting does not cure ends in <see cref="RemoteConnectFailedException"/>, never in SSH.NET's own
/// type: a key that cannot be read, a server that answers out of protocol.
/// </summary>
public sealed class RemoteConnectFailureTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-connect-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task A_server_that_answers_out_of_protocol_is_a_connect_failure_naming_the_login_and_is_not_retried()
    {
        using var server = new OutOfProtocolServer();
        var options = new SshConnectOptions
        {
            Host = "127.0.0.1", Port = server.Port, User = "builder", Key = SshKeyPair.Generate("t"), Label = "odd-server",
            ConnectTimeout = TimeSpan.FromMinutes(1), ConnectTimeoutSetting = "Test.ConnectTimeout",
        };

        var error = await Assert.ThrowsAsync<RemoteConnectFailedException>(() => SshRemoteSession.ConnectAsync(options, new RecordingLog()));

        Assert.IsAssignableFrom<SshException>(error.InnerException);
        Assert.Equal("odd-server", error.Label);
        Assert.Equal($"builder@127.0.0.1:{server.Port}", error.Target);
        Assert.StartsWith($"Could not open an SSH connection to odd-server (builder@127.0.0.1:{server.Port}): the SSH connection failed: ", error.Message);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task A_private_key_text_that_is_no_key_fails_named_before_any_connection()
    {
        using var server = new OutOfProtocolServer();
        var options = new SshConnectOptions { Host = "127.0.0.1", Port = server.Port, PrivateKeyText = "not a key\n", Label = "kept" };

        var error = await Assert.ThrowsAsync<RemoteConnectFailedException>(() => SshRemoteSession.ConnectAsync(options, new RecordingLog()));

        Assert.Contains("the private key could not be read", error.Message);
        Assert.DoesNotContain("not a key", error.Message);
        Assert.NotNull(error.InnerException);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public void DoAttachBuildDroplet_with_a_file_that_is_no_key_ends_in_the_addins_error()
    {
        var keyPath = Path.Combine(work, "build_key");
        File.WriteAllText(keyPath, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5v\n-----END OPENSSH PRIVATE KEY-----\n");
        var context = TestCakeContext.Create(new RecordingLog(), work);

        var error = Assert.Throws<RemoteConnectFailedException>(() =>
            context.DoAttachBuildDroplet(new AttachDropletSettings { Host = "127.0.0.1", Port = FreeTcpPort.Next(), PrivateKeyPath = keyPath }));

        Assert.Contains("the private key could not be read", error.Message);
    }

    [Theory]
    [InlineData("ssh-ed25519")]
    [InlineData("ssh-ed25519 AAAA%%notbase64")]
    public void DoAttachBuildDroplet_with_a_pinned_host_key_that_is_no_key_names_the_setting_before_connecting(string line)
    {
        var keyPath = Path.Combine(work, "build_key");
        File.WriteAllText(keyPath, SshKeyPair.Generate("t").ToOpenSshPrivateKey());
        var context = TestCakeContext.Create(new RecordingLog(), work);

        var error = Assert.Throws<DoSettingsException>(() => context.DoAttachBuildDroplet(
            new AttachDropletSettings { Host = "127.0.0.1", Port = FreeTcpPort.Next(), PrivateKeyPath = keyPath, KnownHostKey = line }));

        Assert.Equal("AttachDropletSettings.KnownHostKey", error.Setting);
        Assert.Equal("AttachDropletSettings.KnownHostKey must be an OpenSSH public key line such as 'ssh-ed25519 AAAA…'.", error.Message);
    }

    /// <summary>
    /// Accepts connections, greets as an SSH 2.0 server, then sends a packet of message type 99 where key exchange
    /// belongs: SSH.NET gives up with a plain <see cref="SshException"/>, not one of its connection errors.
    /// </summary>
    private sealed class OutOfProtocolServer : IDisposable
    {
        private static readonly byte[] Greeting = "SSH-2.0-OutOfProtocol\r\n"u8.ToArray();

        // packet_length 12, padding_length 4, payload type 99 and six bytes, four bytes of padding: 16 bytes, one cipher block pair.
        private static readonly byte[] UnknownMessage = [0, 0, 0, 12, 4, 99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly List<TcpClient> clients = [];
        private int accepted;

        public OutOfProtocolServer()
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = ServeAsync();
        }

        public int Port { get; }

        public int Accepted => Volatile.Read(ref accepted);

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            lock (clients)
            {
                clients.ForEach(c => c.Dispose());
            }

            stop.Dispose();
        }

        private async Task ServeAsync()
        {
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref accepted);
                    lock (clients)
                    {
                        clients.Add(client);
                    }

                    var stream = client.GetStream();
                    await stream.WriteAsync(Greeting, stop.Token);
                    await stream.WriteAsync(UnknownMessage, stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
            {
                // Stopped by Dispose.
            }
        }
    }
}
