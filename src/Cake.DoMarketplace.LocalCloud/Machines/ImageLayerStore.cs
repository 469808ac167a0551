using System.Collections.Concurrent;
using System.Globalization;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// The images' files: the cached base images and, in the data folder, one layer per snapshot (<c>images/ID/layer</c>)
/// with the id of the image it was taken on top of (<c>images/ID/parent</c>). Knows which images droplets boot from,
/// and frees a deleted image's layer once no droplet and no other image layers on it any more.
/// </summary>
internal sealed class ImageLayerStore(string dataDirectory, string imageCacheDirectory, ILogger log)
{
    private readonly ConcurrentDictionary<long, long> dropletImages = new();
    private readonly ConcurrentDictionary<long, byte> deletedImages = new();

    /// <summary>Where a snapshot's layer is assembled before <see cref="CommitAsync"/> publishes it.</summary>
    public string StagingLayer(long imageId) => Path.Combine(ImageFolder(imageId) + ".copying", "layer");

    /// <summary>The image a droplet boots from, once it boots.</summary>
    public void Use(long dropletId, long imageId) => dropletImages[dropletId] = imageId;

    /// <summary>Publishes a staged layer as image <paramref name="imageId"/>, taken on the droplet's image; returns its size in GB.</summary>
    public async Task<double> CommitAsync(long imageId, long dropletId, CancellationToken cancellationToken)
    {
        var staging = ImageFolder(imageId) + ".copying";
        await File.WriteAllTextAsync(Path.Combine(staging, "parent"), dropletImages[dropletId].ToString(CultureInfo.InvariantCulture), cancellationToken);
        Directory.Move(staging, ImageFolder(imageId));
        var bytes = await HostCommands.RunAsync(log, "du", ["-sb", Path.Combine(ImageFolder(imageId), "layer")], cancellationToken);
        var size = long.Parse(bytes.Split('\t')[0], CultureInfo.InvariantCulture);
        return Math.Round(size / 1e9 + 0.5, 2); // the base image's 0.5 GB plus the layer
    }

    /// <summary>The local cloud's own files, layered over every base image.</summary>
    public PlatformLayer Platform { get; } = new(dataDirectory);

    /// <summary>
    /// Overlay lower layers of an image, top first: the snapshot layers of its chain, the local cloud's platform layer,
    /// then the base rootfs.
    /// </summary>
    public IEnumerable<string> LowerLayers(long imageId)
    {
        var id = imageId;
        while (BaseImage.Find(id) is null)
        {
            var folder = ImageFolder(id);
            yield return Path.Combine(folder, "layer");
            id = long.Parse(File.ReadAllText(Path.Combine(folder, "parent")), CultureInfo.InvariantCulture);
        }

        yield return Platform.Folder;
        yield return new BaseImageBuilder(imageCacheDirectory, BaseImage.Find(id)!, log).RootFs;
    }

    /// <summary>The droplet is gone: its image may be freed now.</summary>
    public Task ReleaseAsync(long dropletId)
    {
        dropletImages.TryRemove(dropletId, out _);
        return CollectAsync();
    }

    /// <summary>The image is deleted: its layer goes once nothing layers on it.</summary>
    public Task DeleteAsync(long imageId)
    {
        deletedImages[imageId] = 0;
        return CollectAsync();
    }

    private async Task CollectAsync()
    {
        foreach (var imageId in deletedImages.Keys)
        {
            var inUse = dropletImages.Values.Any(i => Chain(i).Contains(imageId))
                        || Directory.Exists(Path.Combine(dataDirectory, "images")) && Directory.GetDirectories(Path.Combine(dataDirectory, "images"))
                            .Select(d => long.TryParse(Path.GetFileName(d), out var other) ? other : 0)
                            .Where(other => other != imageId && other != 0 && !deletedImages.ContainsKey(other))
                            .Any(other => Chain(other).Contains(imageId));
            if (!inUse && deletedImages.TryRemove(imageId, out _) && Directory.Exists(ImageFolder(imageId)))
            {
                await HostCommands.RunAsync(log, "rm", ["-rf", "--one-file-system", ImageFolder(imageId)], CancellationToken.None);
            }
        }
    }

    private List<long> Chain(long imageId)
    {
        var chain = new List<long>();
        for (var id = imageId; BaseImage.Find(id) is null
            && File.Exists(Path.Combine(ImageFolder(id), "parent")); id = long.Parse(File.ReadAllText(Path.Combine(ImageFolder(id), "parent")),
            CultureInfo.InvariantCulture))
        {
            chain.Add(id);
        }

        return chain;
    }

    private string ImageFolder(long id) => Path.Combine(dataDirectory, "images", id.ToString(CultureInfo.InvariantCulture));
}
