using Cake.DoMarketplace.LocalCloud.Machines;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// Image deletion and transfers (a transfer adds a region: the files are shared on one machine; under DigitalOcean's pace
/// it lasts DigitalOcean's time for the image's size).
/// </summary>
internal sealed class ImageService(CloudState state, IMachineHost host, IActionRunner actions, DigitalOceanPace pace)
{
    private static readonly TimeSpan TransferTime = TimeSpan.FromMilliseconds(800);

    public async Task<Outcome<ImageRecord>> DeleteAsync(string id)
    {
        var image = state.Image(id);
        if (image is null || !long.TryParse(id, out _))
        {
            return Outcome<ImageRecord>.NotFound();
        }

        if (!image.IsSnapshot)
        {
            return Outcome<ImageRecord>.Error(403, "forbidden", "You do not have access for the attempted action: public images cannot be deleted.");
        }

        state.RemoveImage(image.Id);
        state.Locked(() =>
        {
            foreach (var droplet in state.Droplets)
            {
                droplet.SnapshotIds.Remove(image.Id);
            }
        });
        await host.DeleteImageAsync(image.Id);
        return new Outcome<ImageRecord>(image, 204);
    }

    public Outcome<ActionRecord> Act(string id, ActionRequest request)
    {
        var image = state.Image(id);
        if (image is null)
        {
            return Outcome<ActionRecord>.NotFound();
        }

        var type = request.Type;
        if (type != "transfer")
        {
            return Outcome<ActionRecord>.Unprocessable($"'{type}' is not an image action this cloud supports (transfer).");
        }

        var region = request.Region;
        if (!Catalog.IsRegion(region))
        {
            return Outcome<ActionRecord>.Unprocessable("You specified an invalid region for the transfer.");
        }

        if (state.Locked(() => image.Regions.Contains(region!)))
        {
            return Outcome<ActionRecord>.Unprocessable($"Image is already available in {region}.");
        }

        var action = state.StartAction("transfer", image.Id, "image", image.Regions[0]);
        _ = Task.Run(async () =>
        {
            var end = ActionEnd.Errored;
            try
            {
                end = await actions.RunAsync("transfer", image.Id, () => TransferAsync(image, region!));
            }
            catch (IOException)
            {
                end = ActionEnd.Errored;
            }
            finally
            {
                // Whatever happened, the action ends: an action left in progress would be waited on for ever.
                state.FinishAction(action, end == ActionEnd.Completed);
            }
        });
        return new Outcome<ActionRecord>(action, 201);
    }

    private async Task<bool> TransferAsync(ImageRecord image, string region)
    {
        var started = pace.Now;
        await Task.Delay(TransferTime, pace.Time);
        await pace.UntilAsync(started, DigitalOceanPace.Transfer(image.SizeGigabytes));
        if (state.Image(image.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is null)
        {
            return false;
        }

        state.Locked(() =>
        {
            if (!image.Regions.Contains(region))
            {
                image.Regions.Add(region);
            }
        });
        state.Save();
        return true;
    }
}
