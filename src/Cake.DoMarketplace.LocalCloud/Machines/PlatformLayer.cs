namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// The local cloud's own files in every droplet's filesystem: the cloud-init configuration that plays the part of
/// DigitalOcean's image configuration (<c>90-local-cloud.cfg</c>, <c>ds-identify.cfg</c>), as an overlay layer between an
/// image's layers and the cached base image. The base image cache is shared by every local cloud on the machine, of
/// whatever version; this layer lives in this local cloud's data folder, so local clouds of different versions running
/// at once never change a file under each other's droplets (they did when it was written into the shared base image).
/// </summary>
internal sealed class PlatformLayer(string dataDirectory)
{
    private static readonly (string Path, string Resource)[] Files =
    [
        ("etc/cloud/cloud.cfg.d/90-local-cloud.cfg", "90-local-cloud.cfg"),
        ("etc/cloud/ds-identify.cfg", "ds-identify.cfg"),
    ];

    /// <summary>The layer's folder, an overlay lower directory.</summary>
    public string Folder => Path.Combine(dataDirectory, "platform-layer");

    /// <summary>
    /// Writes the layer as this code has it. A file is replaced only when it differs, and by a rename, never truncated in
    /// place: a droplet of an earlier run of this data folder could be booting from it (a booting cloud-init once read such a
    /// file empty and fell back to Debian's default user).
    /// </summary>
    public void Write()
    {
        foreach (var (path, resource) in Files)
        {
            Place(Path.Combine(Folder, path), Host.HostCommands.Script(resource));
        }
    }

    private static void Place(string file, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (File.Exists(file) && File.ReadAllText(file) == text)
        {
            return;
        }

        var staged = file + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(staged, text);
        File.Move(staged, file, overwrite: true);
    }
}
