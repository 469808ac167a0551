using Cake.DoMarketplace.LocalCloud.Machines;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>Image deletion and transfers (a transfer adds a region: the files are shared on one machine).</summary>
internal sealed class ImageService(CloudState state, IMachineHost host, Faults.FaultInjector faults)
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
            var done = false;
            try
            {
                await Task.Delay(TransferTime + faults.Current.ActionDelay);
                done = state.Image(image.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not null
                       && !faults.Current.ErroredActions.Contains("transfer");
                if (done)
                {
                    state.Locked(() =>
                    {
                        if (!image.Regions.Contains(region!))
                        {
                            image.Regions.Add(region!);
                        }
                    });
                    state.Save();
                }
            }
            catch (IOException)
            {
                done = false;
            }
            finally
            {
                // Whatever happened, the action ends: an action left in progress would be waited on for ever.
                state.FinishAction(action, done);
            }
        });
        return new Outcome<ActionRecord>(action, 201);
    }
}
