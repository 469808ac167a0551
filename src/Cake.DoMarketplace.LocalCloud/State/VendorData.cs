using System.Text;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// The vendor data a droplet's cloud-init gets, as DigitalOcean sends its own: a multipart document whose cloud-config
/// lets root log in with the droplet's keys (<c>disable_root: false</c>) and makes the hostname resolve
/// (<c>manage_etc_hosts: true</c>), the two settings of DigitalOcean's vendor data that images rely on (seen in the
/// metadata reference's example and in go-metadata's test data), plus the scripts that install DigitalOcean's agents
/// on a new droplet. cloud-init runs vendor scripts once per instance, in its final stage, before the image's own
/// per-instance scripts. The agents come as Debian packages the local cloud builds and serves on the metadata address
/// (DigitalOcean's come from its own apt repository, which droplets here cannot reach).
/// </summary>
internal static class VendorData
{
    private const string Boundary = "===============local-cloud-vendor-data==";

    /// <summary>Where a droplet fetches the local cloud's stand-in agent packages: its metadata service.</summary>
    public const string PackagesPath = "/local-cloud/packages/";

    public static string Compose(IReadOnlyList<string> agentPackages, bool agentsRequired)
    {
        var document = new StringBuilder()
            .Append("Content-Type: multipart/mixed; boundary=\"").Append(Boundary).Append("\"\n")
            .Append("MIME-Version: 1.0\n\n");
        Part(document, "text/cloud-config", "cloud-config", "#cloud-config\ndisable_root: false\nmanage_etc_hosts: true\n");
        if (agentPackages.Count > 0)
        {
            Part(document, "text/x-shellscript", "10-install-digitalocean-agents", AgentInstaller(agentPackages, agentsRequired));
        }

        return document.Append("--").Append(Boundary).Append("--\n").ToString();
    }

    /// <summary>The vendor data <paramref name="document"/> (as <see cref="Compose"/> wrote it) with one more script, run after the others.</summary>
    public static string WithScript(string document, string name, string script)
    {
        var end = "--" + Boundary + "--\n";
        if (!document.EndsWith(end, StringComparison.Ordinal))
        {
            throw new ArgumentException("Not vendor data this local cloud composed: its closing boundary is missing.", nameof(document));
        }

        var extended = new StringBuilder(document, 0, document.Length - end.Length, document.Length + script.Length + 256);
        Part(extended, "text/x-shellscript", name, script);
        return extended.Append(end).ToString();
    }

    private static void Part(StringBuilder document, string type, string name, string body) =>
        document.Append("--").Append(Boundary).Append('\n')
            .Append("Content-Type: ").Append(type).Append("; charset=\"us-ascii\"\n")
            .Append("MIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\n")
            .Append("Content-Disposition: attachment; filename=\"").Append(name).Append("\"\n\n")
            .Append(body)
            .Append('\n');

    // As DigitalOcean's installer does: only on a droplet (DMI bios_vendor), only on a distribution it supports; a
    // failure is reported and, unless the create request insisted on the agent, ignored.
    private static string AgentInstaller(IReadOnlyList<string> packages, bool required) =>
        $$"""
        #!/bin/sh
        # The local cloud's stand-in for DigitalOcean's agent installers (repos-droplet.digitalocean.com/install.sh):
        # installs {{string.Join(", ", packages)}} from packages the local cloud serves at the metadata address.
        read -r vendor < /sys/devices/virtual/dmi/id/bios_vendor || vendor=unknown
        if [ "$vendor" != DigitalOcean ]; then echo "DigitalOcean's agents are only supported on DigitalOcean machines"; exit 0; fi
        failed=0
        for package in {{string.Join(' ', packages)}}; do
          file="$(mktemp)"
          if curl -fsS --retry 5 --retry-connrefused -o "$file" "http://169.254.169.254{{PackagesPath}}$package.deb" \
            && DEBIAN_FRONTEND=noninteractive dpkg -i "$file"; then
            echo "$package is successfully installed"
          else
            echo "$package could not be installed" >&2
            failed=1
          fi
          rm -f "$file"
        done
        exit {{(required ? "$failed" : "0")}}
        """;
}
