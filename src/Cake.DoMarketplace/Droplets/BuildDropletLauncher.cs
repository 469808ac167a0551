using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>Opens an SSH session; substituted in tests.</summary>
internal delegate Task<IRemoteSession> SessionOpener(SshConnectOptions options, CancellationToken cancellationToken);

/// <summary>
/// Creates the build droplet: checks the settings, registers a temporary ed25519 key, creates the droplet, waits for
/// it to be active, for SSH and for cloud-init. Whatever fails after the key exists, the droplet and key are removed.
/// The build's lease is taken from <paramref name="leases"/> (<see cref="BuildLeases.OnThisMachine"/> when null).
/// </summary>
internal sealed class BuildDropletLauncher(IDoApiClient api, ICakeLog log, SessionOpener openSession, BuildLeases? leases = null)
{
    private const string Prefix = nameof(BuildDropletSettings) + ".";

    /// <param name="settings">The droplet to create.</param>
    /// <param name="role">What the droplet is for, in the log: "build droplet", or "test droplet" for DoTestImage.</param>
    /// <param name="cancellationToken">Stops the waits; cleanup still runs.</param>
    /// <param name="timeoutSettings">The user's settings behind the three waits, named in timeout messages; null for
    /// <see cref="LaunchTimeoutSettings.Build"/>.</param>
    /// <param name="alsoNeeded">Read scopes the caller needs once the droplet exists, checked with the launch's before anything is created.</param>
    public async Task<BuildDroplet> LaunchAsync(BuildDropletSettings settings, CancellationToken cancellationToken, string role = "build droplet",
        LaunchTimeoutSettings? timeoutSettings = null, IReadOnlyList<string>? alsoNeeded = null)
    {
        var names = timeoutSettings ?? LaunchTimeoutSettings.Build;
        var build = BuildIdentity.New();

        // The keys need nothing from the API, so they are made while the pre-flight's reads wait for their answers: the
        // process's first ed25519 key costs ~70 ms (BouncyCastle's code compiled on first use), no longer on the way to
        // the create. Should the pre-flight fail, they are dropped unused.
        var keys = Task.Run(
            () => (Key: SshKeyPair.Generate(build.KeyName), Host: settings.KnownHostKey is null ? SshKeyPair.Generate($"host-{build.Id}") : null),
            CancellationToken.None);
        var plan = await BuildDropletPlan.ResolveAsync(settings, build, api, alsoNeeded ?? [], cancellationToken).ConfigureAwait(false);
        log.Info($"Creating {role} '{plan.Name}': {plan.Image}, {plan.Size}, {plan.Region} (API {api.BaseUrl})");

        var (key, hostKey) = await keys.ConfigureAwait(false);
        var userData = hostKey is null ? settings.UserData : HostKeyUserData.Compose(hostKey, settings.UserData);
        SettingsRules.UserDataValid(userData, Prefix + nameof(settings.UserData));
        DoSshKey? registered = null;
        DoDroplet? droplet = null;
        IRemoteSession? session = null;
        var (keySent, createSent) = (false, false);
        var lease = (leases ?? BuildLeases.OnThisMachine).Take(build.Id);
        try
        {
            keySent = true;
            registered = await RegisterKeyAsync(key, cancellationToken).ConfigureAwait(false);
            log.Info($"Registered temporary SSH key {registered.Id} ({key.FingerprintSha256})");

            createSent = true;
            droplet = await CreateOnceAsync(ToRequest(plan, settings, registered, userData), build.Tag, cancellationToken).ConfigureAwait(false);
            log.Detail($"Created droplet {droplet.Id}"); // the "ready" line names it

            var id = droplet.Id;
            droplet = await new ProgressWaiter(log).WaitAsync(
                $"droplet {id} to become active",
                settings.ActiveTimeout,
                names.ActiveTimeout,
                t => api.GetDropletAsync(id, t),
                d => d.Status == "active" && d.PublicIPv4 is not null,
                d => $"status={d.Status}{(d.Locked ? " locked" : string.Empty)}{(d.PublicIPv4 is null ? " no-ip" : string.Empty)}",
                PollSchedule.Boot,
                cancellationToken).ConfigureAwait(false);

            session = await openSession(
                new SshConnectOptions
                {
                    Host = droplet.PublicIPv4!,
                    User = "root",
                    Key = key,
                    HostKeys = hostKey is not null
                        ? HostKeyPolicy.Pinned(hostKey.PublicKeyBlob)
                        : HostKeyPolicy.PinnedLine(settings.KnownHostKey!, $"{nameof(BuildDropletSettings)}.{nameof(settings.KnownHostKey)}"),
                    ConnectTimeout = settings.SshTimeout,
                    ConnectTimeoutSetting = names.SshTimeout,
                    Label = plan.Name,
                },
                cancellationToken).ConfigureAwait(false);

            if (settings.WaitForCloudInit)
            {
                await CloudInitWaiter.WaitAsync(session, settings.CloudInitTimeout, names.CloudInitTimeout, log, cancellationToken).ConfigureAwait(false);
            }

            var result = new BuildDroplet(droplet.Id, plan.Name, droplet.PublicIPv4!, plan.Region, plan.Image, plan.Size, session)
            {
                Api = api,
                Build = build,
                Lease = lease,
                TemporaryKeyId = registered.Id,
                TemporaryPublicKey = Convert.ToBase64String(key.PublicKeyBlob),
                TemporaryKey = key,
            };
            log.Info($"{char.ToUpperInvariant(role[0])}{role[1..]} ready: {result}");
            return result;
        }
        catch (Exception failure)
        {
            log.Fail($"Creating the {role} failed ({SecretRedactor.Redact(failure.Message)}); removing what was created");
            var guard = new CleanupGuard(log);
            await guard.RunAsync("close the SSH session", () =>
            {
                session?.Dispose();
                return Task.CompletedTask;
            }).ConfigureAwait(false);
            var cleaner = new BuildResourceCleaner(api, log);
            var unseenTag = droplet is null && createSent ? build.Tag : null;
            var unseenKey = registered is null && keySent ? key.FingerprintMd5 : null;
            await cleaner.RemoveUnseenAfterFailureAsync(guard, unseenTag, unseenKey).ConfigureAwait(false);
            await cleaner.RemoveAfterFailureAsync(guard, droplet?.Id, registered?.Id).ConfigureAwait(false);
            lease.Dispose();
            guard.Conclude(failure, $"Creating the {role}");
            throw;
        }
    }

    /// <summary>
    /// Creates the droplet exactly once. A create whose answer was lost (connection error, timeout, 5xx) may or may not
    /// have happened, so it is never blindly retried: the build's unique tag is looked up first, and the create is
    /// sent again only when no droplet carries it.
    /// </summary>
    private Task<DoDroplet> CreateOnceAsync(DoDropletCreateRequest request, string buildTag, CancellationToken cancellationToken) =>
        new Resender(log).SendOnceAsync(
            $"creating the droplet (tag {buildTag})",
            t => api.CreateDropletAsync(request, t),
            async t =>
            {
                var made = await api.ListDropletsByTagAsync(buildTag, t).ConfigureAwait(false);
                if (made.Count == 0)
                {
                    return (false, null!);
                }

                foreach (var extra in made.Skip(1))
                {
                    await new BuildResourceCleaner(api, log).DeleteDropletAsync(extra.Id, t).ConfigureAwait(false);
                }

                log.Info($"The lost request did create droplet {made[0].Id}: using it");
                return (true, made[0]);
            },
            cancellationToken);

    /// <summary>Registers the temporary key once: after a lost answer (or a 422, already registered), the key is looked up by fingerprint first.</summary>
    private Task<DoSshKey> RegisterKeyAsync(SshKeyPair key, CancellationToken cancellationToken) =>
        new Resender(log).SendOnceAsync(
            "registering the temporary SSH key",
            t => api.CreateSshKeyAsync(key.Comment, key.PublicKeyLine, t),
            async t => (await api.ListSshKeysAsync(t).ConfigureAwait(false)).FirstOrDefault(k => k.Fingerprint == key.FingerprintMd5) is { } known
                ? (true, known) : (false, null!),
            cancellationToken,
            e => e is DoApiException { StatusCode: System.Net.HttpStatusCode.UnprocessableEntity });

    /// <summary>
    /// The create request. The agents follow the settings; unset, they are off (the Marketplace guide's build droplet),
    /// or left out with <see cref="BuildDropletSettings.LeaveUnsetToApi"/> so DigitalOcean's defaults apply.
    /// </summary>
    internal static DoDropletCreateRequest ToRequest(BuildDropletPlan plan, BuildDropletSettings settings, DoSshKey key, string? userData)
    {
        bool? unset = settings.LeaveUnsetToApi ? null : false;
        return new()
        {
            Name = plan.Name,
            Region = plan.Region,
            Size = plan.Size,
            Image = plan.Image,
            SshKeys = [key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), .. settings.AdditionalSshKeys],
            Backups = false,
            Ipv6 = settings.Ipv6,
            PrivateNetworking = settings.PrivateNetworking,
            Monitoring = settings.Monitoring ?? unset,
            WithDropletAgent = settings.DropletAgent ?? unset,
            Tags = plan.Tags.ToList(),
            UserData = userData,
            VpcUuid = settings.VpcUuid,
        };
    }
}

/// <summary>The user's settings behind the launcher's three waits, as named in timeout messages.</summary>
/// <param name="ActiveTimeout">The setting bounding the wait for <c>active</c> and an address.</param>
/// <param name="SshTimeout">The setting bounding the wait for sshd to accept the key.</param>
/// <param name="CloudInitTimeout">The setting bounding the wait for cloud-init's first boot.</param>
internal sealed record LaunchTimeoutSettings(string ActiveTimeout, string SshTimeout, string CloudInitTimeout)
{
    /// <summary>A build droplet from <see cref="BuildDropletSettings"/>.</summary>
    public static LaunchTimeoutSettings Build { get; } = new(
        $"{nameof(BuildDropletSettings)}.{nameof(BuildDropletSettings.ActiveTimeout)}",
        $"{nameof(BuildDropletSettings)}.{nameof(BuildDropletSettings.SshTimeout)}",
        $"{nameof(BuildDropletSettings)}.{nameof(BuildDropletSettings.CloudInitTimeout)}");
}
