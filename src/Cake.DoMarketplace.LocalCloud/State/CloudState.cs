using System.Text.Json;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// Everything the API knows: droplets, actions, images, tags. One lock guards it all — the local cloud serves a few
/// builds at a time, and one lock keeps every state change atomic. Images are saved to the data folder so that
/// snapshots survive a restart; droplets are processes and do not.
/// </summary>
internal sealed class CloudState
{
    private readonly object gate = new();
    private readonly object saveGate = new();
    private readonly Dictionary<long, DropletRecord> droplets = [];
    private readonly Dictionary<long, ActionRecord> actions = [];
    private readonly Dictionary<long, ImageRecord> images = [];
    private readonly HashSet<string> tags = new(StringComparer.Ordinal);
    private readonly Network.SlotLeases addresses;
    private readonly string imagesFile;
    private long nextDropletId = 501_000_000;
    private long nextActionId = 2_000_000_000;
    private long nextImageId = 180_000_000;

    /// <param name="dataDirectory">Where the images' records are saved.</param>
    /// <param name="range">The droplets' addresses.</param>
    /// <param name="leaseDirectory">Where address slots are leased: machine-wide unless the droplets have no links.</param>
    public CloudState(string dataDirectory, Network.AddressRange range, string leaseDirectory = Network.SlotLeases.MachineWide)
    {
        addresses = new Network.SlotLeases(range, leaseDirectory);
        Directory.CreateDirectory(dataDirectory);
        imagesFile = Path.Combine(dataDirectory, "images.json");
        Load();
    }

    public SshKeyStore Keys { get; } = new();

    public T Locked<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    public void Locked(Action change)
    {
        lock (gate)
        {
            change();
        }
    }

    public IReadOnlyList<DropletRecord> Droplets => Locked(() => droplets.Values.OrderBy(d => d.Id).ToList());

    public DropletRecord? Droplet(long id) => Locked(() => droplets.GetValueOrDefault(id));

    public ActionRecord? Action(long id) => Locked(() => actions.GetValueOrDefault(id));

    public IReadOnlyList<ActionRecord> ActionsOf(long resourceId)
        => Locked(() => actions.Values.Where(a => a.ResourceId == resourceId).OrderBy(a => a.Id).ToList());

    public IReadOnlyList<ImageRecord> Images => Locked(() => images.Values.OrderBy(i => i.Id).ToList());

    public ImageRecord? Image(string idOrSlug) => Locked(() =>
        long.TryParse(idOrSlug, out var id) ? images.GetValueOrDefault(id) : images.Values.FirstOrDefault(i => i.Slug == idOrSlug));

    public IReadOnlyCollection<string> Tags => Locked(() => tags.ToList());

    public void AddTag(string name) => Locked(() => tags.Add(name));

    public bool RemoveTag(string name) => Locked(() => tags.Remove(name));

    public long NewDropletId() => Interlocked.Increment(ref nextDropletId);

    public long NewImageId() => Interlocked.Increment(ref nextImageId);

    public Network.DropletAddress AllocateAddress() => addresses.Acquire();

    public void ReleaseAddress(Network.DropletAddress address) => addresses.Release(address.Slot);

    public void ReleaseAllAddresses() => addresses.ReleaseAll();

    public void AddDroplet(DropletRecord droplet) => Locked(() => droplets[droplet.Id] = droplet);

    public bool RemoveDroplet(long id) => Locked(() => droplets.Remove(id));

    public ActionRecord StartAction(string type, long resourceId, string resourceType, string region) => Locked(() =>
    {
        var action = new ActionRecord
        {
            Id = ++nextActionId,
            Type = type,
            ResourceId = resourceId,
            ResourceType = resourceType,
            RegionSlug = region,
            StartedAt = DateTimeOffset.UtcNow,
        };
        actions[action.Id] = action;
        if (resourceType == "droplet" && droplets.TryGetValue(resourceId, out var droplet))
        {
            droplet.ActionIds.Add(action.Id);
        }

        return action;
    });

    public void FinishAction(ActionRecord action, bool succeeded) => Locked(() =>
    {
        action.Status = succeeded ? ActionStatus.Completed : ActionStatus.Errored;
        action.CompletedAt = DateTimeOffset.UtcNow;
    });

    public void AddImage(ImageRecord image)
    {
        Locked(() => images[image.Id] = image);
        Save();
    }

    public bool RemoveImage(long id)
    {
        var removed = Locked(() => images.Remove(id));
        Save();
        return removed;
    }

    public void Save()
    {
        // Concurrent actions (parallel transfers) save at once: the write and the rename of the one temp file must not
        // interleave, or one rename finds the file gone and its action never ends.
        lock (saveGate)
        {
            var snapshots = Locked(() => images.Values.Where(i => i.IsSnapshot).ToList());
            var temp = imagesFile + ".tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(snapshots));
            File.Move(temp, imagesFile, overwrite: true);
        }
    }

    private void Load()
    {
        if (!File.Exists(imagesFile))
        {
            return;
        }

        foreach (var image in JsonSerializer.Deserialize<List<ImageRecord>>(File.ReadAllText(imagesFile)) ?? [])
        {
            images[image.Id] = image;
            nextImageId = Math.Max(nextImageId, image.Id);
        }
    }
}
