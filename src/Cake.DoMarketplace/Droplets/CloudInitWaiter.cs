using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// The one wait for cloud-init on a droplet (<c>cloud-init status --wait</c>): after a build droplet's first boot, and after
/// the image test's reboot.
/// </summary>
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

    /// <summary>Waits until cloud-init has finished; up to <paramref name="timeout"/>, named by <paramref name="timeoutSetting"/>.</summary>
    /// <param name="session">The droplet's session.</param>
    /// <param name="timeout">How long cloud-init may take.</param>
    /// <param name="timeoutSetting">The setting that raises <paramref name="timeout"/>.</param>
    /// <param name="log">Where the outcome goes.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <param name="failOnError">
    /// Whether cloud-init's own failure ends the step (<see cref="RemoteCommandException"/>); the image test, which reports
    /// what it finds instead, only logs it.
    /// </param>
    /// <param name="after">What cloud-init is finishing, for the log.</param>
    public static async Task WaitAsync(
        IRemoteSession session,
        TimeSpan timeout,
        string timeoutSetting,
        ICakeLog log,
        CancellationToken cancellationToken,
        bool failOnError = true,
        string after = "the first boot")
    {
        log.Detail($"[{session.Label}] waiting for cloud-init to finish {after}");
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
                if (failOnError)
                {
                    throw new RemoteCommandException(session.Label, result);
                }

                log.Warn($"[{session.Label}] cloud-init failed (exit status {result.ExitStatus}):\n{result.StandardOutput.TrimEnd()}");
                break;
        }
    }
}
