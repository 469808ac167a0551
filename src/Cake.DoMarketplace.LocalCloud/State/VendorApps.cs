using System.Collections.Concurrent;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>A Marketplace app of the vendor, as the Vendor API knows it.</summary>
internal sealed class VendorApp
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>approved</c>, <c>pending</c> (an update was submitted) or <c>in-review</c>.</summary>
    public string Status { get; set; } = VendorAppStatus.Approved;

    public long? ImageId { get; set; }

    public string? ReasonForUpdate { get; set; }

    public string? OsVersion { get; set; }

    public object? SoftwareIncluded { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// The vendor's Marketplace apps. A submitted update makes an app <c>pending</c>, then <c>in-review</c>; while it is
/// either, further updates are refused with 400, as the Vendor API does. The review ends after
/// <see cref="LocalCloudOptions.VendorReviewTime"/>.
/// </summary>
internal sealed class VendorApps(TimeSpan reviewTime)
{
    private readonly ConcurrentDictionary<string, VendorApp> apps = new(StringComparer.Ordinal);

    public TimeSpan ReviewTime { get; } = reviewTime;

    public void Add(string id, string status = VendorAppStatus.Approved) =>
        apps[id] = new VendorApp { Id = id, Name = $"Local 1-Click app {id}", Status = status };

    public VendorApp? Find(string id) => apps.GetValueOrDefault(id);

    public void StartReview(VendorApp app)
    {
        app.Status = VendorAppStatus.Pending;
        _ = Task.Run(async () =>
        {
            await Task.Delay(ReviewTime / 2);
            lock (app)
            {
                app.Status = VendorAppStatus.InReview;
            }

            await Task.Delay(ReviewTime / 2);
            lock (app)
            {
                app.Status = VendorAppStatus.Approved;
            }
        });
    }
}
