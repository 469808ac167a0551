using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// A canned DigitalOcean for one droplet launch through the real client: sizes, the base image and snapshot 777, the
/// read-scope probe, the key registration (id <see cref="KeyId"/>), a create answered as DigitalOcean answers it (202,
/// <c>status: new</c>, empty networks, <c>links.actions</c>), the droplet's reads, and the deletes of a clean-up.
/// </summary>
public sealed partial class CannedLaunch : IAsyncDisposable
{
    public const long KeyId = 512190;

    /// <summary>A droplet read as <c>active</c> with its public address.</summary>
    public static readonly CannedResponse Active = new(200, """
        {"droplet":{"id":9,"name":"b","status":"active","locked":false,
         "networks":{"v4":[{"ip_address":"192.0.2.10","netmask":"255.255.255.252","gateway":"192.0.2.9","type":"public"}],"v6":[]}}}
        """);

    private CannedLaunch(CannedApiServer server) => Server = server;

    public CannedApiServer Server { get; }

    public FakeSession Session { get; } = new FakeSession { Label = "b" }.Reply("cloud-init", "status: done\n");

    /// <summary>The create request's body as sent, the build's random tag written <c>cake-domarketplace-BUILD</c>.</summary>
    public string CreateBody => BuildTag().Replace(Server.RequestsTo("POST", "/v2/droplets").Single().Body, "cake-domarketplace-BUILD");

    /// <summary>
    /// <see cref="CreateBody"/> without <c>user_data</c>, which carries a host key the build makes (checked present).
    /// </summary>
    public string CreateBodyWithoutUserData
    {
        get
        {
            var body = JsonNode.Parse(CreateBody)!.AsObject();
            Assert.Contains("ed25519_private: |", body["user_data"]!.GetValue<string>());
            body.Remove("user_data");
            return body.ToJsonString();
        }
    }

    /// <param name="dropletReads">The answers to <c>GET /v2/droplets/9</c> in order (the last repeats); <see cref="Active"/> when none.</param>
    public static async Task<CannedLaunch> StartAsync(params CannedResponse[] dropletReads)
    {
        var server = await CannedApiServer.StartAsync();
        server.On("GET", "/v2/sizes",
            new CannedResponse(200, """{"sizes":[{"slug":"s-1vcpu-1gb","price_monthly":6,"memory":1024,"disk":25,"available":true,"regions":["nyc3"]}]}"""))
            .On("GET", "/v2/images/debian-12-x64",
                new CannedResponse(200,
                """{"image":{"id":1,"slug":"debian-12-x64","distribution":"Debian","name":"12 x64","regions":["nyc3"],"type":"base"}}"""))
            .On("GET", "/v2/images/777",
                new CannedResponse(200, """{"image":{"id":777,"slug":null,"distribution":"Debian","name":"myapp-1.0","regions":["nyc3"],"type":"snapshot"}}"""))
            .On("GET", "/v2/droplets", new CannedResponse(200, """{"droplets":[],"links":{},"meta":{"total":0}}"""))
            .On("POST", "/v2/account/keys",
                new CannedResponse(201,
                $$$"""{"ssh_key":{"id":{{{KeyId}}},"fingerprint":"3b:16:e4:bf:8b:00:8b:b8:59:8c:a9:d3:f0:19:fa:"""
                    + $$$"""45","public_key":"ssh-ed25519 AAAA","name":"k"}}"""))
            .On("POST", "/v2/droplets", new CannedResponse(202, """
                {"droplet":{"id":9,"name":"b","status":"new","locked":false,"networks":{"v4":[],"v6":[]}},
                 "links":{"actions":[{"id":1,"rel":"create","href":"{base}/v2/actions/1"}]}}
                """))
            .On("GET", "/v2/droplets/9", dropletReads.Length > 0 ? dropletReads : [Active])
            .On("DELETE", "/v2/droplets/9", new CannedResponse(204))
            .On("DELETE", $"/v2/account/keys/{KeyId}", new CannedResponse(204));
        return new CannedLaunch(server);
    }

    internal DoApiClient Client() => new(new DoApiOptions
    {
        Token = "dop_v1_cannedlaunch0000000000000000000000000000000000000000000000",
        BaseUrl = Server.BaseUrl,
        RetryWaitMin = TimeSpan.FromMilliseconds(10),
        RetryWaitMax = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>Opens <see cref="Session"/> for the launcher.</summary>
    internal Task<IRemoteSession> OpenAsync(SshConnectOptions options, CancellationToken cancellationToken) => Task.FromResult<IRemoteSession>(Session);

    /// <summary>Launches a droplet with <paramref name="settings"/> through the real client.</summary>
    internal async Task<BuildDroplet> LaunchAsync(BuildDropletSettings settings, RecordingLog log)
    {
        using var api = Client();
        return await new BuildDropletLauncher(api, log, OpenAsync).LaunchAsync(settings, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    [GeneratedRegex("cake-domarketplace-[0-9a-f]{8}")]
    private static partial Regex BuildTag();
}
