using System.Net;
using System.Net.Sockets;
using System.Text;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>The outside probes against real sockets on 127.0.0.1: a port that accepts, a refused port, HTTP answers.</summary>
public sealed class AppProbeTests : IDisposable
{
    private readonly AppProbe probe = new();

    public void Dispose() => probe.Dispose();


    [Fact]
    public async Task A_listening_port_accepts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await probe.ConnectAsync("127.0.0.1", port, CancellationToken.None);

        Assert.Equal(TcpOutcome.Accepted, result.Outcome);
        Assert.Equal(port, result.Port);
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_refused()
    {
        var port = FreeTcpPort.Next();

        var result = await probe.ConnectAsync("127.0.0.1", port, CancellationToken.None);

        Assert.Equal(TcpOutcome.Refused, result.Outcome);
        Assert.Equal("connection refused", result.Detail);
    }

    [Fact]
    public async Task An_http_answer_gives_status_reason_and_body()
    {
        using var server = new CannedHttpServer(_ => (200, "OK", "<html><h1>Welcome to nginx!</h1></html>", null));
        var check = new HttpCheck("/index.html?x=1", 200, "Welcome to nginx") { Port = server.Port };

        var answer = await probe.GetAsync(check.UrlFor("127.0.0.1"), null, null, CancellationToken.None);

        Assert.Equal(200, answer.Status);
        Assert.Equal("OK", answer.Reason);
        Assert.True(new HttpResult(check, answer).Matches);
        Assert.StartsWith("GET /index.html?x=1 HTTP/1.1", server.Requests.Single());
        Assert.DoesNotContain("Authorization", server.Requests.Single());
    }

    [Fact]
    public async Task Basic_authentication_is_sent_when_a_user_name_is_set()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:s3cret-pass"));
        using var server = new CannedHttpServer(head => head.Contains($"Authorization: {expected}", StringComparison.Ordinal)
            ? (200, "OK", "admin area", null)
            : (401, "Unauthorized", "login required", "WWW-Authenticate: Basic realm=\"admin\"\r\n"));
        var url = new Uri($"http://127.0.0.1:{server.Port}/admin/");

        var without = await probe.GetAsync(url, null, null, CancellationToken.None);
        var with = await probe.GetAsync(url, "admin", "s3cret-pass", CancellationToken.None);

        Assert.Equal(401, without.Status);
        Assert.Equal(200, with.Status);
        Assert.Equal("admin area", with.Body);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        using var server = new CannedHttpServer(_ => (302, "Found", string.Empty, "Location: /wp-admin/install.php\r\n"));

        var answer = await probe.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/"), null, null, CancellationToken.None);

        Assert.Equal(302, answer.Status);
        Assert.Equal("/wp-admin/install.php", answer.Location);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_http_request_to_a_refused_port_has_no_status_and_says_refused()
    {
        var answer = await probe.GetAsync(new Uri($"http://127.0.0.1:{FreeTcpPort.Next()}/"), null, null, CancellationToken.None);

        Assert.Null(answer.Status);
        Assert.Equal(TcpOutcome.Refused, answer.Failure);
        Assert.Equal("connection refused", answer.Detail);
    }

    [Fact]
    public async Task The_listener_script_lists_a_loopback_listener_as_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var script = Path.Combine(Path.GetTempPath(), $"app-state-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(script, AppStateFacts.Script.Source);
        try
        {
            var (exit, output) = await ProcessRunner.RunAsync("bash", [script], Path.GetTempPath(), TimeSpan.FromMinutes(1), new Dictionary<string,
                string?> { ["ACTION"] = "listeners" });

            Assert.Equal(0, exit);
            var mine = AppChecks.ParseListeners(AppStateFacts.Script.Parse(output)).Where(l => l.Port == port).ToList();
            Assert.NotEmpty(mine);
            Assert.All(mine, l => Assert.True(l.IsLoopback, l.Line));
        }
        finally
        {
            File.Delete(script);
        }
    }
}
