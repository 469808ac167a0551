using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packages;

/// <summary>Updates and installs packages with the droplet's own package manager (apt, dnf or yum, detected once per call).</summary>
internal sealed class PackageManager(IRemoteSession session, ICakeLog log)
{
    public async Task<RemoteCommandResult> UpdateAsync(PackageSettings settings, CancellationToken cancellationToken)
    {
        var family = await DistributionProbe.DetectFamilyAsync(session, cancellationToken).ConfigureAwait(false);
        log.Info($"[{session.Label}] installing all updates with {family.ToString().ToLowerInvariant()}");
        return await session.RunAsync(PackageCommands.Upgrade(family), Run(settings), cancellationToken).ConfigureAwait(false);
    }

    public async Task<RemoteCommandResult> InstallAsync(IReadOnlyList<string> packages, PackageSettings settings, CancellationToken cancellationToken)
    {
        var family = await DistributionProbe.DetectFamilyAsync(session, cancellationToken).ConfigureAwait(false);
        return await session.RunAsync(PackageCommands.Install(family, [.. packages]), Run(settings), cancellationToken).ConfigureAwait(false);
    }

    private static RemoteCommandSettings Run(PackageSettings settings) => new()
    {
        Timeout = settings.Timeout,
        TimeoutSetting = $"{nameof(PackageSettings)}.{nameof(settings.Timeout)}",
    };
}
