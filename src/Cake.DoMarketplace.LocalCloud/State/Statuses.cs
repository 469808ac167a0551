namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>A droplet's <c>status</c>, as DigitalOcean names it.</summary>
internal static class DropletStatus
{
    /// <summary>Created, its machine not booted yet.</summary>
    public const string New = "new";

    /// <summary>Its machine runs.</summary>
    public const string Active = "active";

    /// <summary>Its machine is stopped.</summary>
    public const string Off = "off";
}

/// <summary>An action's <c>status</c>.</summary>
internal static class ActionStatus
{
    public const string InProgress = "in-progress";

    public const string Completed = "completed";

    public const string Errored = "errored";
}

/// <summary>An image's <c>status</c>.</summary>
internal static class ImageStatus
{
    public const string Available = "available";
}

/// <summary>A Marketplace app's review state in the Vendor API.</summary>
internal static class VendorAppStatus
{
    public const string Approved = "approved";

    public const string Pending = "pending";

    public const string InReview = "in-review";
}
