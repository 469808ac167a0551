using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packages;

/// <summary>What a package manager run did: its result and what changed in the package database.</summary>
/// <param name="Result">The package manager's result.</param>
/// <param name="Changes">Installed, upgraded and removed packages.</param>
internal sealed record PackageRun(RemoteCommandResult Result, PackageChanges Changes);

/// <summary>
/// Updates and installs packages with the droplet's own package manager (apt, dnf or yum, detected once per call), once
/// no other process holds its locks (<see cref="PackageLockBudget"/>, bounded by <see cref="PackageSettings.LockTimeout"/>).
/// Its progress goes to the verbose log; what it changed is one line, read from the package database before and after.
/// </summary>
internal sealed class PackageManager(IRemoteSession session, ICakeLog log)
{
    public const string TimeoutSetting = nameof(PackageSettings) + "." + nameof(PackageSettings.Timeout);

    public const string LockTimeoutSetting = nameof(PackageSettings) + "." + nameof(PackageSettings.LockTimeout);

    /// <summary>Refuses a setting the steps cannot use, before anything runs.</summary>
    public static void CheckSettings(PackageSettings settings)
    {
        SettingsRules.Positive(settings.Timeout, TimeoutSetting);
        SettingsRules.Positive(settings.LockTimeout, LockTimeoutSetting);
    }

    public async Task<PackageRun> UpdateAsync(PackageSettings settings, CancellationToken cancellationToken)
    {
        var family = await DistributionProbe.DetectFamilyAsync(session, cancellationToken).ConfigureAwait(false);
        log.Detail($"[{session.Label}] installing all updates with {Name(family)}");
        return await RunAsync(family, PackageCommands.Upgrade(family), settings, [], cancellationToken).ConfigureAwait(false);
    }

    public async Task<PackageRun> InstallAsync(IReadOnlyList<string> packages, PackageSettings settings, CancellationToken cancellationToken)
    {
        var family = await DistributionProbe.DetectFamilyAsync(session, cancellationToken).ConfigureAwait(false);
        return await RunAsync(family, PackageCommands.Install(family, [.. packages]), settings, packages, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PackageRun> RunAsync(PackageFamily family, string command, PackageSettings settings, IReadOnlyList<string> requested,
        CancellationToken cancellationToken)
    {
        var locks = new PackageLockBudget(session, log, settings.LockTimeout, LockTimeoutSetting);
        await locks.WaitAsync(cancellationToken).ConfigureAwait(false);
        var before = await InventoryAsync(family, cancellationToken).ConfigureAwait(false);
        var result = await locks.RunAsync(command, new Dictionary<string, string>(), Run(settings), cancellationToken, shownCommand: command)
            .ConfigureAwait(false);
        var after = await InventoryAsync(family, cancellationToken).ConfigureAwait(false);
        var changes = PackageChanges.Between(before, after);
        log.Info($"[{session.Label}] {Name(family)}: {changes.Describe(after, requested)}");
        return new PackageRun(result, changes);
    }

    private async Task<IReadOnlyDictionary<string, string>> InventoryAsync(PackageFamily family, CancellationToken cancellationToken)
    {
        var list = await session.RunAsync(PackageCommands.Inventory(family), new RemoteCommandSettings { LogOutput = false },
            cancellationToken).ConfigureAwait(false);
        return PackageChanges.ParseInventory(list.StandardOutput);
    }

    private static string Name(PackageFamily family) => family.ToString().ToLowerInvariant();

    private static RemoteCommandSettings Run(PackageSettings settings) => new()
    {
        Timeout = settings.Timeout,
        TimeoutSetting = TimeoutSetting,
        IsRoutineOutput = PackageOutput.IsRoutine,
    };
}
