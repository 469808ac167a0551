using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>How a TCP connection attempt from outside the droplet ended.</summary>
internal enum TcpOutcome
{
    /// <summary>The connection was accepted.</summary>
    Accepted,

    /// <summary>Refused (a TCP reset): nothing listens, or a firewall rejects with a reset.</summary>
    Refused,

    /// <summary>No answer within the connect timeout: a firewall drops the packets.</summary>
    TimedOut,

    /// <summary>Host or network unreachable: a firewall rejects with an ICMP error, or no route.</summary>
    Unreachable,

    /// <summary>Any other error.</summary>
    Failed,
}

/// <summary>One TCP connection attempt from outside.</summary>
/// <param name="Port">The port tried.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">A short description ("timed out after 5.0s", "connection refused").</param>
internal sealed record TcpProbe(int Port, TcpOutcome Outcome, string Detail);

/// <summary>One HTTP request from outside.</summary>
/// <param name="Url">The URL requested (never with credentials).</param>
/// <param name="Status">The status code, or null when no answer came.</param>
/// <param name="Reason">The status reason phrase, if any.</param>
/// <param name="Body">The start of the body (at most <see cref="AppProbe.MaxBody"/> characters).</param>
/// <param name="Location">The Location header of a redirect.</param>
/// <param name="Failure">How the connection failed when no answer came (null when it answered).</param>
/// <param name="Detail">What went wrong when no answer came.</param>
internal sealed record HttpProbe(Uri Url, int? Status, string? Reason, string Body, string? Location, TcpOutcome? Failure, string? Detail);

/// <summary>
/// Probes a droplet from outside, from the machine running the build, as a customer's browser or client would: plain
/// TCP connects and HTTP GETs, direct (no proxy), redirects not followed, one fresh connection per request.
/// </summary>
internal sealed class AppProbe : IDisposable
{
    public const int MaxBody = 256 * 1024;

    private readonly HttpClient http;

    /// <param name="connectTimeout">How long a connect may take before it counts as dropped by a firewall.</param>
    /// <param name="requestTimeout">How long an HTTP request may take in all.</param>
    public AppProbe(TimeSpan? connectTimeout = null, TimeSpan? requestTimeout = null)
    {
        ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(5);
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(15);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = (context, token) => ConnectStreamAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, token),
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public TimeSpan ConnectTimeout { get; }

    public TimeSpan RequestTimeout { get; }

    /// <summary>Tries one TCP connection and closes it at once.</summary>
    public async Task<TcpProbe> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await ConnectStreamAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new TcpProbe(port, TcpOutcome.Accepted, "connection accepted");
        }
        catch (SocketException e)
        {
            var (outcome, detail) = Classify(e);
            return new TcpProbe(port, outcome, detail);
        }
    }

    /// <summary>Sends one GET with optional basic authentication; never throws for network errors.</summary>
    public async Task<HttpProbe> GetAsync(Uri url, string? userName, string? password, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.ParseAdd("Cake.DoMarketplace-image-test/1.0");
        if (userName is not null)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
            return new HttpProbe(url, (int)response.StatusCode, response.ReasonPhrase, body, response.Headers.Location?.ToString(), null, null);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            var (outcome, detail) = Classify(socket);
            return new HttpProbe(url, null, null, string.Empty, null, outcome, detail);
        }
        catch (HttpRequestException e)
        {
            return new HttpProbe(url, null, null, string.Empty, null, TcpOutcome.Failed, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HttpProbe(url, null, null, string.Empty, null, TcpOutcome.Failed,
                $"connected, but no complete answer within {DurationText.Of(RequestTimeout)}");
        }
    }

    public void Dispose() => http.Dispose();

    internal (TcpOutcome Outcome, string Detail) Classify(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => (TcpOutcome.Refused, "connection refused"),
        SocketError.TimedOut => (TcpOutcome.TimedOut, $"no answer within {DurationText.Of(ConnectTimeout)}"),
        SocketError.HostUnreachable => (TcpOutcome.Unreachable, "host unreachable (an ICMP rejection)"),
        SocketError.NetworkUnreachable => (TcpOutcome.Unreachable, "network unreachable (an ICMP rejection, or no route)"),
        _ => (TcpOutcome.Failed, $"{e.SocketErrorCode}: {e.Message}"),
    };

    /// <summary>Connects with <see cref="ConnectTimeout"/>; a timeout becomes a <see cref="SocketError.TimedOut"/> error.</summary>
    private async ValueTask<Stream> ConnectStreamAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxBody];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        Encoding encoding;
        try
        {
            encoding = content.Headers.ContentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            encoding = Encoding.UTF8;
        }

        return encoding.GetString(buffer, 0, length);
    }
}
