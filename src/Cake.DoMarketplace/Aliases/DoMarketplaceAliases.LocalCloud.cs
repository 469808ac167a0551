using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.LocalCloudLaunch;

namespace Cake.DoMarketplace;

/// <summary>The local cloud: DigitalOcean's API on this machine, with droplets that are real Debian machines.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Starts the local cloud (the <c>Cake.DoMarketplace.LocalCloud</c> tool: Linux, root) and points the rest of the run
    /// at it, so a build and test of the image need no DigitalOcean account. Dispose the handle to stop it; it also stops
    /// when the build's process ends, however it ends. Images survive in <see cref="LocalCloudSettings.DataDirectory"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <returns>The running local cloud.</returns>
    /// <example>
    /// <code>
    /// #tool dotnet:?package=Cake.DoMarketplace.LocalCloud&amp;version=0.1.0
    /// var cloud = HasEnvironmentVariable("DIGITALOCEAN_TOKEN") ? null : DoStartLocalCloud();
    /// Teardown(_ => cloud?.Dispose());
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='local-cloud' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.LocalCloud)]
    [CakeNamespaceImport("Cake.DoMarketplace.LocalCloudLaunch")]
    public static LocalCloudHandle DoStartLocalCloud(this ICakeContext context) =>
        context.DoStartLocalCloud(new LocalCloudSettings());

    /// <summary>Starts the local cloud; see <see cref="DoStartLocalCloud(ICakeContext)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Where its data lives, which tool, timeouts.</param>
    /// <returns>The running local cloud.</returns>
    /// <example>
    /// <code>
    /// using var cloud = DoStartLocalCloud(new LocalCloudSettings { DataDirectory = "./.local-cloud" });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='local-cloud' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.LocalCloud)]
    [CakeNamespaceImport("Cake.DoMarketplace.LocalCloudLaunch")]
    public static LocalCloudHandle DoStartLocalCloud(this ICakeContext context, LocalCloudSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log(context);
        if (!OperatingSystem.IsLinux())
        {
            throw new DoSettingsException(nameof(LocalCloudSettings),
                "The local cloud runs on Linux only (its droplets are systemd-nspawn machines); set DIGITALOCEAN_TOKEN to build on DigitalOcean instead.");
        }

        SettingsRules.Positive(settings.StartTimeout, $"{nameof(LocalCloudSettings)}.{nameof(settings.StartTimeout)}");
        SettingsRules.Positive(settings.StopTimeout, $"{nameof(LocalCloudSettings)}.{nameof(settings.StopTimeout)}");
        if (settings.DigitalOceanPaceFactor is { } factor && !(double.IsFinite(factor) && factor > 0))
        {
            throw new DoSettingsException($"{nameof(LocalCloudSettings)}.{nameof(settings.DigitalOceanPaceFactor)}",
                $"{nameof(LocalCloudSettings)}.{nameof(settings.DigitalOceanPaceFactor)} is {factor}: set a number above 0 that DigitalOcean's "
                + "times are multiplied by (1 for its own pace, 0.1 for a tenth), or leave it null for the machine's pace.");
        }

        var command = LocalCloudCommand.Resolve(settings, context.FileSystem, context.Environment, name => context.Tools.Resolve(name));
        var dataDirectory = settings.DataDirectory.MakeAbsolute(context.Environment).FullPath;
        var launcher = new LocalCloudLauncher(log, context.FileSystem, context.Environment, context.ProcessRunner);
        return BuildCancellation.Run(t => launcher.StartAsync(command, settings, dataDirectory, t));
    }

    /// <summary>Starts the local cloud; see <see cref="DoStartLocalCloud(ICakeContext)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="configure">Sets where its data lives, which tool, timeouts.</param>
    /// <returns>The running local cloud.</returns>
    /// <example>
    /// <code>
    /// var cloud = DoStartLocalCloud(s => s.DataDirectory = "../.local-cloud");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='local-cloud' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.LocalCloud)]
    [CakeNamespaceImport("Cake.DoMarketplace.LocalCloudLaunch")]
    public static LocalCloudHandle DoStartLocalCloud(this ICakeContext context, Action<LocalCloudSettings> configure) =>
        context.DoStartLocalCloud(Configure(configure));
}
