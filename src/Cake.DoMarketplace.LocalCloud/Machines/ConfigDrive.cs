using System.Text.Json;
using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// The droplet's config drive, as DigitalOcean attaches one: a second disk labelled <c>config-2</c> in OpenStack's
/// layout (<c>openstack/&lt;version&gt;/meta_data.json</c>, <c>user_data</c>, <c>vendor_data.json</c>), which cloud-init's
/// ConfigDrive datasource, first in DigitalOcean's images' datasource list, finds by its label and reads. DigitalOcean's
/// is an ISO 9660 image; this host's kernel may lack iso9660, so this one is ext2, which cloud-init mounts the same way.
/// It is written before every boot and attached beside the droplet's disk, never inside it, so no snapshot holds it.
/// </summary>
internal static class ConfigDrive
{
    /// <summary>The OpenStack metadata versions the drive carries: cloud-init reads the newest it knows.</summary>
    private static readonly string[] Versions = ["2012-08-10", "latest"];

    public static async Task WriteAsync(string image, string staging, MachineSpec droplet, ILogger log, CancellationToken cancellationToken)
    {
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        // The user data may hold secrets (a pinned host key): readable by root only, on the host and on the drive.
        var metadata = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["uuid"] = droplet.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["hostname"] = droplet.Name,
            ["name"] = droplet.Name,
            ["availability_zone"] = droplet.Region,
            ["public_keys"] = droplet.PublicKeys.Select((key, index) => (key, index)).ToDictionary(k
                => k.index.ToString(System.Globalization.CultureInfo.InvariantCulture), k => k.key),
        });
        foreach (var version in Versions)
        {
            var folder = Path.Combine(staging, "openstack", version);
            Directory.CreateDirectory(folder);
            Write(Path.Combine(folder, "meta_data.json"), metadata);
            Write(Path.Combine(folder, "vendor_data.json"), JsonSerializer.Serialize(droplet.VendorData));
            if (droplet.UserData is { } userData)
            {
                Write(Path.Combine(folder, "user_data"), userData);
            }
        }

        foreach (var folder in Directory.GetDirectories(staging, "*", SearchOption.AllDirectories).Append(staging))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Delete(image);
        await HostCommands.RunAsync(log, "mke2fs", ["-q", "-F", "-t", "ext2", "-L", "config-2", "-d", staging, "-m", "0", image, "2M"], cancellationToken);
        Directory.Delete(staging, recursive: true);
    }

    private static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
