using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cake.DoMarketplace.LocalCloud;
using Cake.DoMarketplace.LocalCloud.Faults;
using Cake.DoMarketplace.LocalCloud.Machines;

namespace Cake.DoMarketplace.Tests.LocalCloud.InMemory;

/// <summary>The local cloud's real API and state on Kestrel (loopback), its machines in memory: no root.</summary>
internal sealed class InMemoryCloud : IAsyncDisposable
{
    public const string Token = "in-memory-token";
    private readonly string data;
    private readonly HttpClient http;

    private InMemoryCloud(LocalCloudServer server, InMemoryMachineHost machines, string data)
    {
        Server = server;
        Machines = machines;
        this.data = data;
        http = new HttpClient { BaseAddress = server.BaseUrl };
    }

    public LocalCloudServer Server { get; }

    public InMemoryMachineHost Machines { get; }

    public static async Task<InMemoryCloud> StartAsync(Action<LocalCloudOptions>? configure = null)
    {
        var data = Directory.CreateTempSubdirectory("cdm-in-memory-").FullName;
        var options = new LocalCloudOptions { DataDirectory = data, Faults = new FaultOptions() };
        options.TokenScopes.Clear();
        options.Tokens.Add(Token);
        configure?.Invoke(options);
        var machines = new InMemoryMachineHost();
        return new InMemoryCloud(await LocalCloudServer.StartInMemoryAsync(options, machines), machines, data);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null,
        string token = Token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path, string token = Token)
        => SendAsync(HttpMethod.Get, path, null, token);

    public Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string json, string token = Token)
        => SendAsync(HttpMethod.Post, path, json, token);

    public Task SetFaultsAsync(string json) => SendAsync(HttpMethod.Put, "local-cloud/faults", json);

    public static string CreateBody(string name = "in-memory", string extra = "") =>
        $$"""{"name":"{{name}}","region":"nyc3","size":"s-1vcpu-512mb-10gb","image":"debian-12-x64"{{extra}}}""";

    /// <summary>Reads <paramref name="path"/> until <paramref name="done"/> holds; fails naming the last answer if it never does.</summary>
    public async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> done)
    {
        JsonElement last = default;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var (status, body, _) = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            last = body;
            if (done(body))
            {
                return body;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{path} never reached the expected state; last answer: {last}");
    }

    public async Task<long> CreateActiveDropletAsync(string name)
    {
        var (status, body, _) = await PostAsync("v2/droplets", CreateBody(name));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = body.GetProperty("droplet").GetProperty("id").GetInt64();
        await PollAsync($"v2/droplets/{id}", b => b.GetProperty("droplet").GetProperty("status").GetString() == "active");
        return id;
    }

    public async Task<JsonElement> ActAndWaitAsync(long dropletId, string json)
    {
        var (status, body, _) = await PostAsync($"v2/droplets/{dropletId}/actions", json);
        Assert.Equal(HttpStatusCode.Created, status);
        var actionId = body.GetProperty("action").GetProperty("id").GetInt64();
        var done = await PollAsync($"v2/actions/{actionId}", b => b.GetProperty("action").GetProperty("status").GetString() != "in-progress");
        return done.GetProperty("action");
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }
}
