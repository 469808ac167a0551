namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// The machines' log lines (base images, prerequisites, droplets booting and stopping), source-generated
/// (<see cref="LoggerMessageAttribute"/>): no boxing or argument array when the level is off. The texts are the
/// console's, read by people: change them knowingly.
/// </summary>
internal static partial class MachinesLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Base image {Slug} cached at {Path}")]
    public static partial void BaseImageCached(this ILogger logger, string slug, string path);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Building base image {Slug} (Debian {Version}, systemd) with debootstrap from {Mirror} (once; about 2 minutes)")]
    public static partial void BuildingBaseImage(this ILogger logger, string slug, string version, string mirror);

    [LoggerMessage(Level = LogLevel.Information, Message = "  debootstrap {Slug}: {Count} steps, {Elapsed:0}s: {Line}")]
    public static partial void DebootstrapProgress(this ILogger logger, string slug, int count, double elapsed, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "  debootstrap {Slug}: {Line}")]
    public static partial void DebootstrapLine(this ILogger logger, string slug, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installing cloud-init and tools into {Slug} ({Elapsed:0}s so far)")]
    public static partial void InstallingTools(this ILogger logger, string slug, double elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Base image {Slug} built in {Elapsed:0}s")]
    public static partial void BaseImageBuilt(this ILogger logger, string slug, double elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for another local cloud building the base image {Slug} ({Elapsed:0}s)")]
    public static partial void WaitingForBaseImageBuild(this ILogger logger, string slug, double elapsed);

    /// <summary>The packages are written as the formatter writes a list: comma and space between them.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Installing what the local cloud needs with apt-get (as root): {Packages}")]
    public static partial void InstallingPrerequisites(this ILogger logger, IReadOnlyList<string> packages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installed {Packages}")]
    public static partial void InstalledPrerequisites(this ILogger logger, IReadOnlyList<string> packages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} droplet(s) an earlier run left in {Folder}")]
    public static partial void StaleDropletsRemoved(this ILogger logger, int count, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} droplet(s) an earlier run left in {Folder} ({Stopped} still running: stopped)")]
    public static partial void StaleDropletsRemovedAndStopped(this ILogger logger, int count, string folder, int stopped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id} ({Name}) up: sshd on {Address}:22 after {Elapsed:0.00}s")]
    public static partial void DropletUp(this ILogger logger, long id, string name, string address, double elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id} stopped on its own (reboot)")]
    public static partial void DropletRebooted(this ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id} stopped on its own (exit {Code})")]
    public static partial void DropletExited(this ILogger logger, long id, int code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id}: SSH connections dropped (some were open)")]
    public static partial void SshConnectionsDropped(this ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Droplet {Id}: SSH connections dropped (none were open)")]
    public static partial void NoSshConnectionsToDrop(this ILogger logger, long id);
}
