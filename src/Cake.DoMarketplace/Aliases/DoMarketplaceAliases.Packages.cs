using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace;

/// <summary>Packages.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Installs all updates, as the Marketplace requires: apt on Debian and Ubuntu, dnf or yum on CentOS, Rocky and
    /// Alma — detected from <c>/etc/os-release</c> — non-interactive, keeping existing configuration files. While another
    /// process holds the package manager's locks (unattended-upgrades after an Ubuntu droplet's first boot), it waits,
    /// saying which process and for how long, up to <see cref="PackageSettings.LockTimeout"/>.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <returns>The package manager's result.</returns>
    /// <example>
    /// <code>
    /// DoUpdatePackages(droplet);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packages' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Packages)]
    public static RemoteCommandResult DoUpdatePackages(this ICakeContext context, BuildDroplet droplet) =>
        context.DoUpdatePackages(droplet, new PackageSettings());

    /// <summary>Installs all updates; see <see cref="DoUpdatePackages(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="settings">Timeout of the run and of the wait for the package manager's locks.</param>
    /// <returns>The package manager's result.</returns>
    /// <example>
    /// <code>
    /// DoUpdatePackages(droplet, new PackageSettings { Timeout = TimeSpan.FromMinutes(45), LockTimeout = TimeSpan.FromMinutes(20) });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packages' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Packages)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packages")]
    public static RemoteCommandResult DoUpdatePackages(this ICakeContext context, BuildDroplet droplet, PackageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        PackageManager.CheckSettings(settings);
        var packages = new PackageManager(Live(droplet).Session, Log(context));
        return BuildCancellation.Run(async t => (await packages.UpdateAsync(settings, t).ConfigureAwait(false)).Result);
    }

    /// <summary>Installs all updates; see <see cref="DoUpdatePackages(ICakeContext, BuildDroplet)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="configure">Sets the timeouts of the run and of the wait for the package manager's locks.</param>
    /// <returns>The package manager's result.</returns>
    /// <example>
    /// <code>
    /// DoUpdatePackages(droplet, s => s.LockTimeout = TimeSpan.FromMinutes(20));
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packages' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Packages)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packages")]
    public static RemoteCommandResult DoUpdatePackages(this ICakeContext context, BuildDroplet droplet, Action<PackageSettings> configure) =>
        context.DoUpdatePackages(droplet, Configure(configure));

    /// <summary>
    /// Installs packages from the distribution's repositories with its package manager, non-interactively, once no other
    /// process holds its locks (waiting as <see cref="DoUpdatePackages(ICakeContext, BuildDroplet)"/> does).
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="packages">Package names.</param>
    /// <returns>The package manager's result.</returns>
    /// <example>
    /// <code>
    /// DoInstallPackages(droplet, "nginx", "ufw");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packages' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Packages)]
    public static RemoteCommandResult DoInstallPackages(this ICakeContext context, BuildDroplet droplet, params string[] packages) =>
        context.DoInstallPackages(droplet, new PackageSettings(), packages);

    /// <summary>Installs packages; see <see cref="DoInstallPackages(ICakeContext, BuildDroplet, string[])"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="settings">Timeout of the run and of the wait for the package manager's locks.</param>
    /// <param name="packages">Package names.</param>
    /// <returns>The package manager's result.</returns>
    /// <example>
    /// <code>
    /// DoInstallPackages(droplet, new PackageSettings { Timeout = TimeSpan.FromMinutes(60) }, "mariadb-server", "php-fpm");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packages' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Packages)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packages")]
    public static RemoteCommandResult DoInstallPackages(this ICakeContext context, BuildDroplet droplet, PackageSettings settings, params string[] packages)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (packages is null || packages.Length == 0)
        {
            throw new DoSettingsException(nameof(packages),
                "DoInstallPackages needs at least one package name, for example DoInstallPackages(droplet, \"nginx\").");
        }

        PackageManager.CheckSettings(settings);
        var manager = new PackageManager(Live(droplet).Session, Log(context));
        return BuildCancellation.Run(async t => (await manager.InstallAsync(packages, settings, t).ConfigureAwait(false)).Result);
    }

    /// <summary>Installs packages; see <see cref="DoInstallPackages(ICakeContext, BuildDroplet, string[])"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The build droplet.</param>
    /// <param name="configure">Sets the timeouts of the run and of the wait for the package manager's locks.</param>
    /// <param name="packages">Package names.</param>
    /// <returns>The package manager's result.</returns>
    /// <example>
    /// <code>
    /// DoInstallPackages(droplet, s => s.Timeout = TimeSpan.FromMinutes(60), "mariadb-server", "php-fpm");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='packages' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Packages)]
    [CakeNamespaceImport("Cake.DoMarketplace.Packages")]
    public static RemoteCommandResult DoInstallPackages(this ICakeContext context, BuildDroplet droplet, Action<PackageSettings> configure,
        params string[] packages) =>
        context.DoInstallPackages(droplet, Configure(configure), packages);
}
