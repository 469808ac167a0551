using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packages;

/// <summary>Reads <c>/etc/os-release</c> on the droplet.</summary>
internal static class DistributionProbe
{
    public static async Task<LinuxDistribution> DetectAsync(IRemoteSession session, CancellationToken cancellationToken)
    {
        var result = await session.RunAsync("cat /etc/os-release", new RemoteCommandSettings { LogOutput = false }, cancellationToken).ConfigureAwait(false);
        return LinuxDistribution.Parse(result.StandardOutput);
    }

    public static async Task<PackageFamily> DetectFamilyAsync(IRemoteSession session, CancellationToken cancellationToken)
    {
        var distribution = await DetectAsync(session, cancellationToken).ConfigureAwait(false);
        if (distribution.Family is not { } family)
        {
            throw new UnsupportedDistributionException(session.Label, distribution.ToString());
        }

        if (family == PackageFamily.Dnf)
        {
            // Some RHEL-likes of version 8 still ship only yum.
            var dnf = await session.RunAsync("command -v dnf", new RemoteCommandSettings { LogOutput = false, AllowNonZeroExit = true },
                cancellationToken).ConfigureAwait(false);
            return dnf.Succeeded ? PackageFamily.Dnf : PackageFamily.Yum;
        }

        return family;
    }
}
