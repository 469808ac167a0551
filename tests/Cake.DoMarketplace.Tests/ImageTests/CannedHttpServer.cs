using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (a real socket): reads each request's head and answers with what
/// <paramref name="answer"/> returns for it, then closes the connection.
/// </summary>
public sealed class CannedHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<string, (int Status, string Reason, string Body, string? ExtraHeaders)> answer;
    private readonly Task loop;

    public CannedHttpServer(Func<string, (int Status, string Reason, string Body, string? ExtraHeaders)> answer)
    {
        this.answer = answer;
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public List<string> Requests { get; } = [];

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    /// <summary>One connection; a connect-only probe (no request) is simply closed.</summary>
    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, stop.Token) == 1)
                {
                    head.Append((char)buffer[0]);
                }

                if (head.Length == 0)
                {
                    return;
                }

                lock (Requests)
                {
                    Requests.Add(head.ToString());
                }

                var (status, reason, body, extra) = answer(head.ToString());
                var bytes = Encoding.UTF8.GetBytes(body);
                var response = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: "
                    + $"close\r\n{extra}\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), stop.Token);
                await stream.WriteAsync(bytes, stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away: nothing to answer.
            }
        }
    }
}
