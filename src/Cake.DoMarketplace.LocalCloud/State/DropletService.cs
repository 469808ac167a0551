using Cake.DoMarketplace.LocalCloud.Machines;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>The outcome of a request that changes state: a record, or a DigitalOcean-style error.</summary>
internal sealed record Outcome<T>(T? Value, int Status = 200, string? ErrorId = null, string? Message = null)
    where T : class
{
    public static Outcome<T> Error(int status, string id, string message) => new(null, status, id, message);

    public static Outcome<T> Unprocessable(string message) => Error(422, "unprocessable_entity", message);

    public static Outcome<T> NotFound() => Error(404, "not_found", "The resource you were accessing could not be found.");
}

/// <summary>
/// Droplet life cycle with honest states: <c>new</c> until sshd listens, actions <c>in-progress</c> then
/// <c>completed</c> or <c>errored</c>, <c>locked</c> while one runs, and a 422 "pending event" for a second one. Under
/// DigitalOcean's pace (<see cref="DigitalOceanPace"/>) a boot, shutdown, power-off and snapshot also last DigitalOcean's time.
/// </summary>
internal sealed class DropletService
{
    private readonly CloudState state;
    private readonly IMachineHost host;
    private readonly ILogger log;
    private readonly IActionRunner actions;
    private readonly BackgroundWork background;
    private readonly DigitalOceanPace pace;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, Task> boots = new();

    public DropletService(CloudState state, IMachineHost host, ILogger log, IActionRunner actions, BackgroundWork background, DigitalOceanPace pace)
    {
        this.pace = pace;
        this.background = background;
        this.state = state;
        this.host = host;
        this.log = log;
        this.actions = actions;
        host.StoppedOnItsOwn += OnStoppedOnItsOwn;
    }

    /// <summary>poweroff or reboot inside the droplet: the API shows it off, and a reboot boots it again.</summary>
    private void OnStoppedOnItsOwn(long dropletId, bool reboot)
    {
        if (state.Droplet(dropletId) is not { } droplet)
        {
            return;
        }

        state.Locked(() => droplet.Status = DropletStatus.Off);
        if (reboot)
        {
            background.Start($"droplet {droplet.Id} reboot", async () =>
            {
                if (await Guard(droplet, "reboot", () => host.BootAsync(Spec(droplet), CancellationToken.None)))
                {
                    state.Locked(() => droplet.Status = DropletStatus.Active);
                }
            });
        }
    }

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(60);

    public Outcome<DropletRecord> Create(DropletCreateRequest request)
    {
        var name = request.Name;
        if (DropletRules.NameRefusal(name) is { } badName)
        {
            return Outcome<DropletRecord>.Unprocessable(badName);
        }

        var region = request.Region;
        if (!Catalog.IsRegion(region))
        {
            return Outcome<DropletRecord>.Unprocessable("You specified an invalid region for Droplet creation.");
        }

        var size = Catalog.FindSize(request.Size);
        if (size is null)
        {
            return Outcome<DropletRecord>.Unprocessable("You specified an invalid size for Droplet creation.");
        }

        var image = request.Image is { } imageRef ? state.Image(imageRef) : null;
        if (image is null || image.Status != ImageStatus.Available)
        {
            return Outcome<DropletRecord>.Unprocessable("You specified an invalid image for Droplet creation.");
        }

        if (!image.Regions.Contains(region!))
        {
            return Outcome<DropletRecord>.Unprocessable($"Image is not available in region {region}. Transfer it there first.");
        }

        if (image.MinDiskSize > size.Disk)
        {
            return Outcome<DropletRecord>.Unprocessable("Size is too small for the image's minimum disk size.");
        }

        var keys = new List<string>();
        var unknown = new List<string>();
        foreach (var reference in request.SshKeys)
        {
            if (state.Keys.Find(reference) is { } key)
            {
                keys.Add(key.PublicKey);
            }
            else
            {
                unknown.Add(reference);
            }
        }

        if (unknown.Count > 0)
        {
            return Outcome<DropletRecord>.Unprocessable(
                $"You specified invalid SSH key IDs or fingerprints ({string.Join(", ", unknown)}) for Droplet creation.");
        }

        var tags = request.Tags;
        if (tags.Select(DropletRules.TagRefusal).FirstOrDefault(r => r is not null) is { } badTag)
        {
            return Outcome<DropletRecord>.Unprocessable(badTag);
        }

        var userData = request.UserData;
        if (DropletRules.UserDataRefusal(userData) is { } badUserData)
        {
            return Outcome<DropletRecord>.Unprocessable(badUserData);
        }

        var (agents, agentRefusal) = DropletAgents.For(request, image);
        if (agentRefusal is not null)
        {
            return Outcome<DropletRecord>.Unprocessable(agentRefusal);
        }

        var features = new List<string>();
        if (request.Monitoring) { features.Add("monitoring"); }
        if (request.Ipv6) { features.Add("ipv6"); }
        if (request.Backups) { features.Add("backups"); }
        if (agents.Contains(DropletAgents.DropletAgentPackage)) { features.Add("droplet_agent"); }

        var id = state.NewDropletId();
        var droplet = new DropletRecord
        {
            Id = id,
            Name = name!,
            Region = region!,
            Size = new SizeSlug(size.Slug, size.Memory, size.Vcpus, size.Disk),
            Image = image,
            Address = state.AllocateAddress(),
            CreatedAt = DateTimeOffset.UtcNow,
            PublicKeys = keys,
            Tags = tags.Distinct().ToList(),
            Features = features,
            UserData = userData,
            VendorData = VendorData.Compose(agents, request.DropletAgent is true || request.Monitoring),
            Mac = MacAddress(id),
            VpcUuid = request.VpcUuid,
        };
        foreach (var tag in droplet.Tags)
        {
            state.AddTag(tag);
        }

        state.AddDroplet(droplet);
        var action = state.StartAction("create", droplet.Id, "droplet", droplet.Region);
        var requested = pace.Now;
        var booted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        boots[droplet.Id] = booted.Task;
        var started = background.Start($"droplet {droplet.Id} boot", async () =>
        {
            try
            {
                var end = await actions.RunAsync("create", droplet.Id, () => Guard(droplet, "boot", async () =>
                {
                    await host.BootAsync(Spec(droplet), CancellationToken.None);

                    // The machine is made: a delete need not wait for the pace, only the droplet's status does.
                    Booted(droplet.Id, booted);
                    await pace.UntilAsync(requested, DigitalOceanPace.Boot);
                }));
                if (end == ActionEnd.Completed)
                {
                    state.Locked(() => droplet.Status = DropletStatus.Active);
                }

                Finish(action, end);
            }
            finally
            {
                Booted(droplet.Id, booted);
            }
        });
        if (!started)
        {
            Booted(droplet.Id, booted);
        }

        return new Outcome<DropletRecord>(droplet, 202);
    }

    public Outcome<ActionRecord> Act(long dropletId, ActionRequest request)
    {
        var type = request.Type;
        var droplet = state.Droplet(dropletId);
        if (droplet is null)
        {
            return Outcome<ActionRecord>.NotFound();
        }

        Func<Task<bool>>? work = type switch
        {
            "shutdown" => () => Shutdown(droplet),
            "power_off" => () => PowerOff(droplet),
            "power_on" => () => PowerOn(droplet),
            "reboot" or "power_cycle" => async () => (type == "reboot" ? await Shutdown(droplet) : await PowerOff(droplet)) && await PowerOn(droplet),
            "snapshot" => () => Snapshot(droplet, request.Name),
            _ => null,
        };
        if (work is null)
        {
            return Outcome<ActionRecord>.Unprocessable(
                $"'{type}' is not a droplet action this cloud supports (shutdown, power_off, power_on, reboot, power_cycle, snapshot).");
        }

        var refused = state.Locked(() =>
        {
            if (droplet.Locked || droplet.Status == DropletStatus.New)
            {
                return true;
            }

            droplet.Locked = true;
            return false;
        });
        if (refused)
        {
            return Outcome<ActionRecord>.Unprocessable("Droplet already has a pending event.");
        }

        var action = state.StartAction(type!, droplet.Id, "droplet", droplet.Region);
        background.Start($"droplet {droplet.Id} {type}", async () =>
        {
            var end = await actions.RunAsync(type!, droplet.Id, () => Guard(droplet, type!, work));
            state.Locked(() => droplet.Locked = false);
            Finish(action, end);
        });
        return new Outcome<ActionRecord>(action, 201);
    }

    public async Task<Outcome<DropletRecord>> DeleteAsync(long dropletId)
    {
        var droplet = state.Droplet(dropletId);
        if (droplet is null)
        {
            return Outcome<DropletRecord>.NotFound();
        }

        if (state.Locked(() => droplet.Locked))
        {
            return Outcome<DropletRecord>.Unprocessable("Droplet already has a pending event.");
        }

        state.RemoveDroplet(dropletId);
        if (boots.TryGetValue(dropletId, out var boot))
        {
            // Deleted while it boots (DigitalOcean allows it): its disk, link and machine are being made, and destroying
            // now would miss them; they go once the boot has ended.
            await boot;
        }

        await host.DestroyAsync(dropletId);
        state.ReleaseAddress(droplet.Address);
        return new Outcome<DropletRecord>(droplet, 204);
    }

    /// <summary>An action still in progress stays so; the others end.</summary>
    private void Finish(ActionRecord action, ActionEnd end)
    {
        if (end != ActionEnd.InProgress)
        {
            state.FinishAction(action, end == ActionEnd.Completed);
        }
    }

    private void Booted(long dropletId, TaskCompletionSource booted)
    {
        boots.TryRemove(dropletId, out _);
        booted.TrySetResult();
    }

    private async Task<bool> Shutdown(DropletRecord droplet)
    {
        if (state.Locked(() => droplet.Status) == DropletStatus.Off)
        {
            return true;
        }

        var started = pace.Now;
        var stopped = await host.ShutdownAsync(droplet.Id, ShutdownGrace, CancellationToken.None);
        if (stopped)
        {
            await pace.UntilAsync(started, DigitalOceanPace.Shutdown);
            state.Locked(() => droplet.Status = DropletStatus.Off);
        }

        return stopped;
    }

    private async Task<bool> PowerOff(DropletRecord droplet)
    {
        var started = pace.Now;
        await host.PowerOffAsync(droplet.Id);
        await pace.UntilAsync(started, DigitalOceanPace.PowerOff);
        state.Locked(() => droplet.Status = DropletStatus.Off);
        return true;
    }

    private async Task<bool> PowerOn(DropletRecord droplet)
    {
        if (state.Locked(() => droplet.Status) == DropletStatus.Active)
        {
            return true;
        }

        var started = pace.Now;
        await host.BootAsync(Spec(droplet), CancellationToken.None);
        await pace.UntilAsync(started, DigitalOceanPace.Boot);
        state.Locked(() => droplet.Status = DropletStatus.Active);
        return true;
    }

    private async Task<bool> Snapshot(DropletRecord droplet, string? name)
    {
        var started = pace.Now;
        var snapshot = new ImageRecord
        {
            Id = state.NewImageId(),
            Name = string.IsNullOrWhiteSpace(name) ? $"{droplet.Name}-{DateTime.UtcNow:yyyyMMddHHmmss}" : name,
            Type = "snapshot",
            Distribution = droplet.Image.Distribution,
            Regions = [droplet.Region],
            CreatedAt = DateTimeOffset.UtcNow,
            MinDiskSize = droplet.Size.Disk,
            SourceDropletId = droplet.Id,
            ParentImageId = droplet.Image.Id,
        };
        snapshot.SizeGigabytes = await host.SnapshotAsync(droplet.Id, snapshot.Id, CancellationToken.None);
        await pace.UntilAsync(started, DigitalOceanPace.Snapshot(snapshot.SizeGigabytes));
        actions.Publish(snapshot.Id, () => Publish(droplet, snapshot));
        return true;
    }

    private void Publish(DropletRecord droplet, ImageRecord snapshot)
    {
        state.AddImage(snapshot);
        state.Locked(() => droplet.SnapshotIds.Add(snapshot.Id));
    }

    private async Task<bool> Guard(DropletRecord droplet, string what, Func<Task> work) =>
        await Guard(droplet, what, async () =>
        {
            await work();
            return true;
        });

    private async Task<bool> Guard(DropletRecord droplet, string what, Func<Task<bool>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e)
        {
            log.DropletWorkFailed(e, droplet.Id, droplet.Name, what);
            return false;
        }
    }

    private static MachineSpec Spec(DropletRecord droplet) =>
        new(droplet.Id, droplet.Name, droplet.Region, droplet.Size.Disk, droplet.Image.Id, droplet.Address, droplet.Mac, droplet.PublicKeys, droplet.UserData,
            droplet.VendorData);

    /// <summary>A locally administered unicast MAC address that stays the droplet's across reboots.</summary>
    private static string MacAddress(long dropletId)
    {
        Span<byte> bytes = stackalloc byte[6];
        bytes[0] = 0x02;
        for (var i = 5; i >= 1; i--)
        {
            bytes[i] = (byte)(dropletId & 0xFF);
            dropletId >>= 8;
        }

        var hex = Convert.ToHexString(bytes).ToLowerInvariant();
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2)));
    }
}
