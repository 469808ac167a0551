using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.ImageRules;

/// <summary>
/// Runs the Marketplace cleanup on the droplet in the open session: packages, the DigitalOcean agent, temporary
/// files, histories, cloud-init state, logs, machine id, free space, and last the SSH keys. Its package commands wait
/// while another process holds the package manager's locks (<see cref="PackageLockBudget"/>, bounded by
/// <see cref="CleanupSettings.PackageLockTimeout"/>).
/// </summary>
internal sealed class ImageCleaner(IRemoteSession session, ICakeLog log)
{
    public const string PackageLockTimeoutSetting = nameof(CleanupSettings) + "." + nameof(CleanupSettings.PackageLockTimeout);

    public static void CheckSettings(CleanupSettings settings)
    {
        foreach (var path in settings.KeepPaths)
        {
            RemotePath.Validate(path, $"{nameof(CleanupSettings)}.{nameof(settings.KeepPaths)}");
        }

        SettingsRules.Positive(settings.Timeout, $"{nameof(CleanupSettings)}.{nameof(settings.Timeout)}");
        SettingsRules.Positive(settings.PackageLockTimeout, PackageLockTimeoutSetting);
    }

    public static IReadOnlyDictionary<string, string> Variables(PackageFamily family, CleanupSettings settings)
    {
        CheckSettings(settings);
        return new Dictionary<string, string>
        {
            ["PKG"] = family.ToString().ToLowerInvariant(),
            ["UPDATE"] = settings.UpdatePackages ? "1" : "0",
            ["FREE_SPACE"] = settings.FreeSpace switch
            {
                FreeSpaceHandling.ZeroFill => "zero",
                FreeSpaceHandling.Trim => "fstrim",
                _ => "skip",
            },
            ["KEEP"] = string.Join('\n', settings.KeepPaths.Select(p => p.TrimEnd('/'))),
            ["ERASER"] = settings.FreeSpace == FreeSpaceHandling.ZeroFill && settings.ZeroFillMethod != ZeroFillMethod.ThroughFile
                ? ImageScripts.Read("erase-free-space.py")
                : string.Empty,
            ["READ_FIRST"] = settings.ZeroFillMethod == ZeroFillMethod.ReadFirst ? "1" : "0",
            ["APT_INDEX_IS_FRESH"] = AptIndex.IsFresh,
        };
    }

    public async Task<RemoteCommandResult> CleanAsync(CleanupSettings settings, CancellationToken cancellationToken)
    {
        var family = await DistributionProbe.DetectFamilyAsync(session, cancellationToken).ConfigureAwait(false);
        var variables = Variables(family, settings);
        log.Info($"[{session.Label}] cleaning the image ({family}); SSH keys go last, in this session");
        var locks = new PackageLockBudget(session, log, settings.PackageLockTimeout, PackageLockTimeoutSetting);
        if (settings.UpdatePackages)
        {
            // Without updates the script may still remove the droplet agent: its package_run waits then, if need be.
            await locks.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var result = await locks.RunAsync(
            ImageScripts.Cleanup,
            variables,
            new RemoteCommandSettings { Timeout = settings.Timeout, TimeoutSetting = $"{nameof(CleanupSettings)}.{nameof(settings.Timeout)}" },
            cancellationToken).ConfigureAwait(false);
        log.Detail($"[{session.Label}] cleanup done in {DurationText.Of(result.Duration)}");
        return result;
    }
}
