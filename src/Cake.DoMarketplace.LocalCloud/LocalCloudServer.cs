using Cake.DoMarketplace.LocalCloud.Api;
using Cake.DoMarketplace.LocalCloud.Machines;
using Cake.DoMarketplace.LocalCloud.Metadata;
using Cake.DoMarketplace.LocalCloud.Network;
using Cake.DoMarketplace.LocalCloud.State;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cake.DoMarketplace.LocalCloud;

/// <summary>
/// The local cloud on 127.0.0.1: the DigitalOcean API v2 subset an image build uses, with real sandboxed droplets.
/// Start it in-process (tests, tools) or through the command (<c>Program</c>).
/// </summary>
public sealed class LocalCloudServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly IMachineHost host;
    private readonly DropletNetwork? network;
    private readonly CloudState state;
    private readonly BackgroundWork background;
    private readonly RequestCounter requests;
    private readonly MetadataService? metadata;

    private LocalCloudServer(WebApplication app, IMachineHost host, DropletNetwork? network, CloudState state, BackgroundWork background,
        RequestCounter requests, MetadataService? metadata, Uri baseUrl)
    {
        this.metadata = metadata;
        this.requests = requests;
        this.background = background;
        this.app = app;
        this.host = host;
        this.network = network;
        this.state = state;
        BaseUrl = baseUrl;
    }

    /// <summary>The API base address, such as <c>http://127.0.0.1:7117/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The nftables table (family <c>ip</c>) holding this cloud's NAT and filter rules while it runs.</summary>
    public string NetworkTable => network?.Table ?? throw new InvalidOperationException("An in-memory local cloud has no network.");

    /// <summary>API requests received so far (its own <c>/local-cloud</c> endpoints not counted): per build, the difference.</summary>
    public long ApiRequests => requests.Total;

    /// <summary>How many of <see cref="ApiRequests"/> were answered 429 over a token's rate limit (for benchmarks).</summary>
    public long TooManyRequestsAnswered => requests.TooManyRequests;

    /// <summary>
    /// Every API request received so far as "METHOD /path?query", in order of arrival (its own <c>/local-cloud</c>
    /// endpoints not listed): per build, the entries from <see cref="ApiRequests"/> taken before it on.
    /// </summary>
    public IReadOnlyList<string> ApiRequestLog => requests.Lines;

    /// <summary>
    /// Checks the prerequisites, builds or reuses the base image, and starts the API; returns once it accepts requests.
    /// </summary>
    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions options, CancellationToken cancellationToken = default)
    {
        CheckOptions(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var log = loggerFactory.CreateLogger("LocalCloud");
        var range = AddressRange.Parse(options.AddressRange);
        StartChecks.DataDirectoryWritable(options.DataDirectory);
        StartChecks.PortFree(options.Port);
        await Prerequisites.EnsureAsync(log, cancellationToken);

        // Machines of a crashed run first: they keep their network namespaces alive.
        StaleMachines.Recover(options.DataDirectory, log);
        var network = await DropletNetwork.StartAsync(range, MirrorHosts(), log, cancellationToken);
        SandboxMachineHost? host = null;
        MetadataService? metadata = null;
        try
        {
            host = new SandboxMachineHost(options.DataDirectory, options.ImageCacheDirectory, network, log);
            var state = new CloudState(options.DataDirectory, range);
            foreach (var (image, builtAt) in await host.PrepareBaseImagesAsync(cancellationToken))
            {
                state.AddImage(ImageRecord.Base(image, builtAt));
            }

            metadata = await MetadataService.StartAsync(state, host.Agents, log, cancellationToken);
            await network.ServeMetadataAsync(metadata.Port, cancellationToken);
            log.MetadataServing(metadata.Port);

            return await ServeAsync(options, host, state, network, metadata, log, cancellationToken);
        }
        catch
        {
            if (metadata is not null)
            {
                await metadata.DisposeAsync();
            }

            if (host is not null)
            {
                await host.DisposeAsync();
            }

            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The API and state on machines kept in memory (<see cref="InMemoryMachineHost"/>): no prerequisites, network,
    /// metadata service or root; the images' records in <see cref="LocalCloudOptions.DataDirectory"/>.
    /// </summary>
    internal static async Task<LocalCloudServer> StartInMemoryAsync(LocalCloudOptions options, InMemoryMachineHost host,
        CancellationToken cancellationToken = default)
    {
        CheckOptions(options);
        var log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("LocalCloud");
        var state = new CloudState(options.DataDirectory, AddressRange.Parse(options.AddressRange), Path.Combine(options.DataDirectory, "slots"));
        foreach (var (image, builtAt) in await host.PrepareBaseImagesAsync(cancellationToken))
        {
            state.AddImage(ImageRecord.Base(image, builtAt));
        }

        return await ServeAsync(options, host, state, null, null, log, cancellationToken);
    }

    // Before anything is made.
    private static void CheckOptions(LocalCloudOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PaceOf(options);
        if (options.Tokens.Count == 0 && options.TokenScopes.Count == 0)
        {
            throw new ArgumentException(
                "The local cloud needs at least one accepted token (LocalCloudOptions.Tokens or TokenScopes, or --token / --token-scopes).", nameof(options));
        }
    }

    private static DigitalOceanPace PaceOf(LocalCloudOptions options)
    {
        var time = options.Time ?? TimeProvider.System;
        if (options.Pace == LocalCloudPace.Machine)
        {
            return new DigitalOceanPace(null, time);
        }

        var factor = options.PaceFactor;
        return double.IsFinite(factor) && factor > 0
            ? new DigitalOceanPace(factor, time)
            : throw new ArgumentException(
                $"LocalCloudOptions.PaceFactor must be a number above 0 (such as 1 or 0.1); "
                + $"{factor.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not.",
                nameof(options));
    }

    // The API in front of the state, and the fault layer between them and the machines.
    private static async Task<LocalCloudServer> ServeAsync(
        LocalCloudOptions options, IMachineHost host, CloudState state, DropletNetwork? network, MetadataService? metadata, ILogger log,
            CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        var app = builder.Build();
        var faults = new Faults.FaultInjector(options.Faults);
        var requests = new RequestCounter();
        var background = new BackgroundWork(log);
        var machines = new Faults.FaultyMachineHost(host, faults, log);
        var actions = new Faults.FaultyActionRunner(new DirectActionRunner(), faults, background, log);
        var pace = PaceOf(options);
        if (log.IsEnabled(LogLevel.Information))
        {
            log.Pace(pace.Describe());
        }

        var limiter = pace.Factor is null
            ? new RateLimiter(options.RequestsPerHour, options.RequestsPerMinute, pace.Time)
            : new RateLimiter(DigitalOceanPace.RequestsPerHour, DigitalOceanPace.RequestsPerMinute, pace.Time, pace.WindowScale);
        ApiGate.Use(app, options.Tokens, options.TokenScopes, limiter, requests, log);
        FaultSteps.UseRequestFaults(app, faults);
        MalformedAnswers.Use(app, faults, log);
        FaultSteps.UseLostCreateAnswers(app, faults);
        FaultEndpoints.Map(app, faults, machines);
        AccountEndpoints.Map(app, state.Keys);
        DropletEndpoints.Map(app, state, new DropletService(state, machines, log, actions, background, pace));
        ImageEndpoints.Map(app, state, new ImageService(state, machines, actions, pace));
        var vendorApps = new VendorApps(options.VendorReviewTime);
        foreach (var appId in options.VendorApps)
        {
            vendorApps.Add(appId);
        }

        VendorEndpoints.Map(app, state, vendorApps);
        app.MapFallback(() => ApiError.NotFound());

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Taken since StartChecks.PortFree looked.
            throw StartChecks.PortRefused(options.Port, System.Net.Sockets.SocketError.AddressAlreadyInUse, e);
        }

        var address = app.Urls.First();
        return new LocalCloudServer(app, machines, network, state, background, requests, metadata, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Checks the prerequisites and builds (or finds) the cached base image, without starting anything.</summary>
    public static async Task PrepareAsync(LocalCloudOptions options, CancellationToken cancellationToken = default)
    {
        var log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("LocalCloud");
        await Prerequisites.EnsureAsync(log, cancellationToken);
        await BaseImageBuilder.EnsureAllAsync(options.ImageCacheDirectory, log, cancellationToken);
    }

    // Every suite's sources share the host's mirrors; reading one suite's is enough to know their hosts.
    private static IReadOnlyList<string> MirrorHosts() => AptMirror.Read(BaseImage.All[0].Suite).Hosts;

    /// <summary>Waits until the server stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the API and every droplet's machine (their disks and the snapshots stay in the data folder).</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await background.DrainAsync(TimeSpan.FromSeconds(90));
        if (metadata is not null)
        {
            await metadata.DisposeAsync();
        }

        await host.DisposeAsync();
        if (network is not null)
        {
            await network.DisposeAsync();
        }

        state.ReleaseAllAddresses();
    }
}
