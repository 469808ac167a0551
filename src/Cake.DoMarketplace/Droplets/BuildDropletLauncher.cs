using System.Security.Cryptography;
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
/// </summary>
internal sealed class BuildDropletLauncher(IDoApiClient api, ICakeLog log, SessionOpener openSession)
{
    private const string Prefix = nameof(BuildDropletSettings) + ".";

    public async Task<BuildDroplet> LaunchAsync(BuildDropletSettings settings, CancellationToken cancellationToken)
    {
        var buildId = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var plan = await BuildDropletPlan.ResolveAsync(settings, buildId, api, cancellationToken).ConfigureAwait(false);
        log.Info($"Creating build droplet '{plan.Name}': {plan.Image}, {plan.Size}, {plan.Region} (API {api.BaseUrl})");

        var key = SshKeyPair.Generate($"cake-domarketplace-{buildId}");
        DoSshKey? registered = null;
        DoDroplet? droplet = null;
        IRemoteSession? session = null;
        try
        {
            registered = await api.CreateSshKeyAsync(key.Comment, key.PublicKeyLine, cancellationToken).ConfigureAwait(false);
            log.Info($"Registered temporary SSH key {registered.Id} ({key.FingerprintSha256})");

            droplet = await api.CreateDropletAsync(ToRequest(plan, settings, registered), cancellationToken).ConfigureAwait(false);
            log.Info($"Created droplet {droplet.Id}");

            var id = droplet.Id;
            droplet = await new ProgressWaiter(log).WaitAsync(
                $"droplet {id} to become active",
                settings.ActiveTimeout,
                Prefix + nameof(settings.ActiveTimeout),
                t => api.GetDropletAsync(id, t),
                d => d.Status == "active" && d.PublicIPv4 is not null,
                d => $"status={d.Status}{(d.Locked ? " locked" : string.Empty)}{(d.PublicIPv4 is null ? " no-ip" : string.Empty)}",
                PollSchedule.Api,
                cancellationToken).ConfigureAwait(false);

            session = await openSession(
                new SshConnectOptions
                {
                    Host = droplet.PublicIPv4!,
                    User = "root",
                    Key = key,
                    HostKeys = settings.KnownHostKey is null ? HostKeyPolicy.AcceptAny : HostKeyPolicy.PinnedLine(settings.KnownHostKey),
                    ConnectTimeout = settings.SshTimeout,
                    Label = plan.Name,
                },
                cancellationToken).ConfigureAwait(false);

            if (settings.WaitForCloudInit)
            {
                await CloudInitWaiter.WaitAsync(session, settings.CloudInitTimeout, log, cancellationToken).ConfigureAwait(false);
            }

            var result = new BuildDroplet(droplet.Id, plan.Name, droplet.PublicIPv4!, plan.Region, plan.Image, plan.Size, session)
            {
                Api = api,
                TemporaryKeyId = registered.Id,
            };
            log.Info($"Build droplet ready: {result}");
            return result;
        }
        catch (Exception failure)
        {
            log.Fail($"Creating the build droplet failed ({SecretRedactor.Redact(failure.Message)}); removing what was created");
            session?.Dispose();
            await new BuildResourceCleaner(api, log).RemoveAfterFailureAsync(droplet?.Id, registered?.Id).ConfigureAwait(false);
            throw;
        }
    }

    private static DoDropletCreateRequest ToRequest(BuildDropletPlan plan, BuildDropletSettings settings, DoSshKey key) => new()
    {
        Name = plan.Name,
        Region = plan.Region,
        Size = plan.Size,
        Image = plan.Image,
        SshKeys = [key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), .. settings.AdditionalSshKeys],
        Backups = false,
        Ipv6 = false,
        Monitoring = false,
        WithDropletAgent = false,
        Tags = plan.Tags.ToList(),
        UserData = settings.UserData,
        VpcUuid = settings.VpcUuid,
    };
}
