using Cake.Core;
using Cake.Core.Annotations;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace;

/// <summary>Build droplets.</summary>
public static partial class DoMarketplaceAliases
{
    /// <summary>
    /// Creates the build droplet the Marketplace guide asks for — smallest current size, a supported distribution, a
    /// temporary ed25519 key, monitoring, IPv6, backups and the droplet agent off — and waits until it is active, SSH
    /// answers and cloud-init has finished. Settings are checked against the API before anything is created; if a
    /// later step fails, the droplet and key are removed.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">The droplet's settings.</param>
    /// <returns>The droplet with its open SSH session.</returns>
    /// <example>
    /// <code>
    /// var droplet = DoCreateBuildDroplet(new BuildDropletSettings { Region = "fra1", Image = "ubuntu-24-04-x64" });
    /// Information("Building on {0}", droplet.PublicIPv4);
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Droplets")]
    public static BuildDroplet DoCreateBuildDroplet(this ICakeContext context, BuildDropletSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log(context);
        BuildDropletPlan.CheckLocally(settings);
        var api = CreateApiClient(context, settings, $"{nameof(BuildDropletSettings)}.{nameof(settings.Token)}");
        try
        {
            var launcher = new BuildDropletLauncher(api, log, async (options, t) => await SshRemoteSession.ConnectAsync(options, log, t).ConfigureAwait(false),
                BuildLeases.For(context.FileSystem, context.Environment));
            var droplet = BuildCancellation.Run(t => launcher.LaunchAsync(settings, t));
            droplet.OwnsApi = true;
            return droplet;
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    /// <summary>Creates the build droplet; see <see cref="DoCreateBuildDroplet(ICakeContext, BuildDropletSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="configure">Sets the droplet's settings.</param>
    /// <returns>The droplet with its open SSH session.</returns>
    /// <example>
    /// <code>
    /// var droplet = DoCreateBuildDroplet(s => { s.Name = "myapp-build"; s.Region = "ams3"; });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='build' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Droplets")]
    public static BuildDroplet DoCreateBuildDroplet(this ICakeContext context, Action<BuildDropletSettings> configure) =>
        context.DoCreateBuildDroplet(Configure(configure));

    /// <summary>
    /// Opens a session to an existing machine by address and key — a droplet kept after a failed build, or any
    /// server — so the other aliases can work on it. Destroying it is left to whoever created it.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="settings">Address, user and key.</param>
    /// <returns>The machine with its open SSH session.</returns>
    /// <example>
    /// <code>
    /// var machine = DoAttachBuildDroplet(new AttachDropletSettings { Host = "203.0.113.7", PrivateKeyPath = "build_key" });
    /// DoRunRemote(machine, "uname -a");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='attach' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Droplets")]
    public static BuildDroplet DoAttachBuildDroplet(this ICakeContext context, AttachDropletSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = Log(context);
        SettingsRules.NotBlank(settings.Host, $"{nameof(AttachDropletSettings)}.{nameof(settings.Host)}", "\"203.0.113.7\"");
        SettingsRules.NotBlank(settings.PrivateKeyPath?.FullPath, $"{nameof(AttachDropletSettings)}.{nameof(settings.PrivateKeyPath)}", "\"./build_key\"");
        SettingsRules.Positive(settings.ConnectTimeout, $"{nameof(AttachDropletSettings)}.{nameof(settings.ConnectTimeout)}");
        var keyPath = settings.PrivateKeyPath!.MakeAbsolute(context.Environment);
        if (!context.FileSystem.FileExists(keyPath))
        {
            throw new DoSettingsException($"{nameof(AttachDropletSettings)}.{nameof(settings.PrivateKeyPath)}",
                $"{nameof(AttachDropletSettings)}.{nameof(settings.PrivateKeyPath)}: key file '{keyPath}' does not exist.");
        }

        var label = settings.Label ?? settings.Host!;
        var session = BuildCancellation.Run(t => SshRemoteSession.ConnectAsync(
            new SshConnectOptions
            {
                Host = settings.Host!,
                Port = settings.Port,
                User = settings.User,
                PrivateKeyText = context.FileSystem.ReadAllText(keyPath),
                HostKeys = settings.KnownHostKey is null
                    ? HostKeyPolicy.AcceptAny
                    : HostKeyPolicy.PinnedLine(settings.KnownHostKey, $"{nameof(AttachDropletSettings)}.{nameof(settings.KnownHostKey)}"),
                ConnectTimeout = settings.ConnectTimeout,
                ConnectTimeoutSetting = $"{nameof(AttachDropletSettings)}.{nameof(settings.ConnectTimeout)}",
                Label = label,
            },
            log,
            t));
        return new BuildDroplet(settings.DropletId, label, settings.Host!, string.Empty, string.Empty, string.Empty, session);
    }

    /// <summary>Opens a session to an existing machine; see <see cref="DoAttachBuildDroplet(ICakeContext, AttachDropletSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="configure">Sets address, user and key.</param>
    /// <returns>The machine with its open SSH session.</returns>
    /// <example>
    /// <code>
    /// var machine = DoAttachBuildDroplet(s => { s.Host = "203.0.113.7"; s.PrivateKeyPath = "artifacts/kept-droplets/myapp-build-123_ed25519"; });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='attach' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Droplets")]
    public static BuildDroplet DoAttachBuildDroplet(this ICakeContext context, Action<AttachDropletSettings> configure) =>
        context.DoAttachBuildDroplet(Configure(configure));

    /// <summary>
    /// Destroys the build droplet and deletes its temporary SSH key, closing the session first. Retries while the
    /// droplet has a pending event; fails, saying what is left, if something could not be removed.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="droplet">The droplet from <c>DoCreateBuildDroplet</c>.</param>
    /// <example>
    /// <code>
    /// Teardown(ctx => { if (droplet != null) DoDestroyDroplet(droplet); });
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='destroy' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    public static void DoDestroyDroplet(this ICakeContext context, BuildDroplet droplet)
    {
        ArgumentNullException.ThrowIfNull(droplet);
        var log = Log(context);
        BuildCancellation.Run(t => new BuildDropletDestroyer(log).DestroyAsync(droplet, CancellationToken.None));
        droplet.Dispose();
    }

    /// <summary>Destroys a droplet by id (a droplet kept for debugging, for example).</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="dropletId">The droplet id.</param>
    /// <param name="settings">How to reach the API; the token comes from the environment when not set.</param>
    /// <example>
    /// <code>
    /// DoDestroyDroplet(123456789, new DoApiSettings());
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='destroy' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Api")]
    public static void DoDestroyDroplet(this ICakeContext context, long dropletId, DoApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var api = CreateApiClient(context, settings, $"{nameof(DoApiSettings)}.{nameof(settings.Token)}");
        var log = Log(context);
        BuildCancellation.Run(t => BuildDropletDestroyer.DestroyByIdAsync(api, dropletId, log, CancellationToken.None));
    }

    /// <summary>Destroys a droplet by id; see <see cref="DoDestroyDroplet(ICakeContext, long, DoApiSettings)"/>.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="dropletId">The droplet id.</param>
    /// <param name="configure">Sets how to reach the API; the token comes from the environment when not set.</param>
    /// <example>
    /// <code>
    /// DoDestroyDroplet(123456789, s => s.ApiUrl = "http://127.0.0.1:7117");
    /// </code>
    /// </example>
    /// <include file="AliasErrors.xml" path="errors/group[@name='api' or @name='destroy' or @name='any']/*"/>
    [CakeMethodAlias]
    [CakeAliasCategory(AliasCategories.Droplets)]
    [CakeNamespaceImport("Cake.DoMarketplace.Api")]
    public static void DoDestroyDroplet(this ICakeContext context, long dropletId, Action<DoApiSettings> configure) =>
        context.DoDestroyDroplet(dropletId, Configure(configure));
}
