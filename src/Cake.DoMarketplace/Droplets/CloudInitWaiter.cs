using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>Waits on the droplet for cloud-init's first boot to finish (<c>cloud-init status --wait</c>).</summary>
internal static class CloudInitWaiter
{
    private const int NotInstalled = 100;

    private const string Script = """
        if ! command -v cloud-init >/dev/null 2>&1; then exit 100; fi
        cloud-init status --wait >/dev/null 2>&1
        rc=$?
        cloud-init status --long 2>/dev/null | sed -n '1,12p'
        exit $rc
        """;

    public static async Task WaitAsync(IRemoteSession session, TimeSpan timeout, string timeoutSetting, ICakeLog log, CancellationToken cancellationToken)
    {
        log.Detail($"[{session.Label}] waiting for cloud-init to finish the first boot");
        var result = await session.RunAsync(
            Script,
            new RemoteCommandSettings { AllowNonZeroExit = true, Timeout = timeout, LogOutput = false, TimeoutSetting = timeoutSetting },
            cancellationToken).ConfigureAwait(false);
        switch (result.ExitStatus)
        {
            case 0:
                log.Detail($"[{session.Label}] cloud-init done in {DurationText.Of(result.Duration)}");
                break;
            case 2:
                log.Warn($"[{session.Label}] cloud-init finished with recoverable errors:\n{result.StandardOutput.TrimEnd()}");
                break;
            case NotInstalled:
                log.Warn($"[{session.Label}] cloud-init is not installed; the Marketplace requires it (DoValidateImage will fail).");
                break;
            default:
                throw new RemoteCommandException(session.Label, result);
        }
    }
}
