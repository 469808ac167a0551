namespace Cake.DoMarketplace.Snapshots;

/// <summary>Settings of <c>DoSnapshot</c>.</summary>
public sealed class SnapshotSettings
{
    /// <summary>The snapshot name; defaults to <c>&lt;droplet name&gt;-&lt;utc time&gt;</c>.</summary>
    public string? Name { get; set; }

    /// <summary>More regions to copy the image to, in parallel, after the snapshot.</summary>
    public IList<string> TransferRegions { get; } = new List<string>();

    /// <summary>Tags to put on the image.</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>Destroy the build droplet (and its temporary key) once the snapshot exists.</summary>
    public bool DestroyDroplet { get; set; }

    /// <summary>Keep a snapshot that was made when a later step (transfer, tagging) fails. By default it is deleted.</summary>
    public bool KeepSnapshotOnFailure { get; set; }

    /// <summary>How long a graceful shutdown may take before the droplet is powered off.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the power-off fallback may take.</summary>
    public TimeSpan PowerOffTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the snapshot action may take (1–2 minutes per GB on DigitalOcean).</summary>
    public TimeSpan SnapshotTimeout { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How long the new snapshot may take to appear in the droplet's snapshot list after the action.</summary>
    public TimeSpan SnapshotListTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long all region transfers together may take.</summary>
    public TimeSpan TransferTimeout { get; set; } = TimeSpan.FromMinutes(90);

    /// <summary>How long to wait for the droplet to be unlocked before each action.</summary>
    public TimeSpan UnlockTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
