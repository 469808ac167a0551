using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// The SMBIOS identity of a droplet, as the kernel shows it in <c>/sys/devices/virtual/dmi/id</c>: what cloud-init's
/// ds-identify and DigitalOcean helper (<c>sys_vendor</c>/<c>system-manufacturer</c> DigitalOcean, the droplet id from
/// <c>system-serial-number</c>) and DigitalOcean's agent installer (<c>bios_vendor</c> DigitalOcean) read to know they are
/// on a droplet. <c>product_name</c> Droplet is as reported from real droplets; nothing else is claimed.
/// </summary>
internal static class DmiIdentity
{
    public static void Write(string folder, long dropletId)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var id = dropletId.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["sys_vendor"] = "DigitalOcean",
            ["product_name"] = "Droplet",
            ["product_serial"] = id,
            ["product_uuid"] = Uuid(id),
            ["bios_vendor"] = "DigitalOcean",
        })
        {
            File.WriteAllText(Path.Combine(folder, key), value + "\n");
        }
    }

    // A stable uuid per droplet (the kernel's product_uuid is never empty on a VM).
#pragma warning disable CA5351 // MD5 derives an identifier here, not a security property.
    private static string Uuid(string id) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes("droplet:" + id))).ToString();
#pragma warning restore CA5351
}
