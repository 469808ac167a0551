using System.Text;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// No trust on first use: the build makes the droplet's SSH host key itself and hands it to cloud-init in user data
/// (<c>ssh_keys</c>), so the only key to accept is one we already know. A user's own user data is kept as a second part
/// of a MIME multipart message, which cloud-init reads part by part.
/// </summary>
internal static class HostKeyUserData
{
    public static string Compose(SshKeyPair hostKey, string? userData)
    {
        var cloudConfig = new StringBuilder()
            .Append("#cloud-config\n")
            .Append("# Cake.DoMarketplace: the build droplet's SSH host key, pinned by the build (replaced on every new instance).\n")
            .Append("ssh_deletekeys: true\n")
            .Append("ssh_keys:\n")
            .Append("  ed25519_private: |\n");
        foreach (var line in hostKey.ToOpenSshPrivateKey().TrimEnd('\n').Split('\n'))
        {
            cloudConfig.Append("    ").Append(line).Append('\n');
        }

        cloudConfig.Append("  ed25519_public: ").Append(hostKey.PublicKeyLine).Append('\n');
        if (string.IsNullOrEmpty(userData))
        {
            return cloudConfig.ToString();
        }

        var boundary = "==cake-domarketplace-" + Guid.NewGuid().ToString("N") + "==";
        return new StringBuilder()
            .Append("Content-Type: multipart/mixed; boundary=\"").Append(boundary).Append("\"\nMIME-Version: 1.0\n\n")
            .Append("--").Append(boundary).Append("\nContent-Type: text/cloud-config; charset=\"utf-8\"\nMIME-Version: 1.0\n\n")
            .Append(cloudConfig)
            .Append("\n--").Append(boundary).Append("\nContent-Type: ").Append(ContentType(userData)).Append("; charset=\"utf-8\"\nMIME-Version: 1.0\n\n")
            .Append(userData.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n')).Append('\n')
            .Append("--").Append(boundary).Append("--\n")
            .ToString();
    }

    private static string ContentType(string userData) => userData.TrimStart() switch
    {
        var text when text.StartsWith("#cloud-config", StringComparison.Ordinal) => "text/cloud-config",
        var text when text.StartsWith("#!", StringComparison.Ordinal) => "text/x-shellscript",
        var text when text.StartsWith("#cloud-boothook", StringComparison.Ordinal) => "text/cloud-boothook",
        var text when text.StartsWith("#include", StringComparison.Ordinal) => "text/x-include-url",
        _ => "text/plain",
    };
}
