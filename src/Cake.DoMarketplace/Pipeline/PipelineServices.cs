using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// Where <see cref="MarketplaceImagePipeline"/> gets what talks to the outside: its API clients, its SSH sessions and the
/// cancellation of its run. <see cref="Real"/> in the alias; fakes in the unit tests, so the whole step list runs there.
/// </summary>
/// <param name="ApiClient">Makes an API client (the build's, and the image test's when it uses another account).</param>
/// <param name="SessionOpener">Makes the opener of the build and test droplets' SSH sessions, writing to the given log.</param>
/// <param name="Cancellation">Hands the build its run's token, cancelled by a stop signal.</param>
internal sealed record PipelineServices(
    Func<DoApiOptions, ICakeLog, IDoApiClient> ApiClient,
    Func<ICakeLog, SessionOpener> SessionOpener,
    SignalCancellation Cancellation)
{
    /// <summary>DigitalOcean's API over HTTP, SSH.NET sessions, the process's SIGINT and SIGTERM.</summary>
    public static PipelineServices Real => new(
        (options, log) => new DoApiClient(options, log),
        log => async (options, t) => await SshRemoteSession.ConnectAsync(options, log, t).ConfigureAwait(false),
        BuildCancellation.Signals);
}
