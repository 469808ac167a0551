using Cake.DoMarketplace.LocalCloud.Host;

namespace Cake.DoMarketplace.LocalCloud.Machines;

/// <summary>
/// The local cloud's stand-ins for DigitalOcean's agents, built as real Debian packages (dpkg-deb) when the local cloud
/// starts: <c>droplet-agent</c> and <c>do-agent</c>, each a program in <c>/opt/digitalocean/bin</c> run by an enabled
/// systemd service, as DigitalOcean's packages lay them out. They do nothing else; they exist so that what vendor
/// sources do with the agents (<c>apt-get purge droplet-agent*</c>) and what DigitalOcean's image scan checks
/// (<c>/opt/digitalocean</c>) behave as on DigitalOcean. Droplets fetch them from the metadata service.
/// </summary>
internal sealed class AgentPackages(string folder)
{
    /// <summary>The packages and what each stands in for.</summary>
    private static readonly (string Name, string Stands, string Unit)[] Known =
    [
        ("droplet-agent", "DigitalOcean's droplet agent (the web console's agent)", "The DigitalOcean Droplet Agent"),
        ("do-agent", "DigitalOcean's metrics agent (monitoring)", "The DigitalOcean Monitoring Agent"),
    ];

    private const string Version = "1.0.0~localcloud1";

    /// <summary>The built package file of <paramref name="name"/>, or null when the local cloud has no such package.</summary>
    public string? PathOf(string name) =>
        Known.Any(k => k.Name == name) ? Path.Combine(folder, $"{name}.deb") : null;

    public async Task BuildAsync(ILogger log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, stands, unit) in Known)
        {
            var tree = Path.Combine(folder, name);
            if (Directory.Exists(tree))
            {
                Directory.Delete(tree, recursive: true);
            }

            Write(tree, "DEBIAN/control", Readable, $"""
                Package: {name}
                Version: {Version}
                Architecture: all
                Maintainer: Cake.DoMarketplace local cloud <local-cloud@cake-domarketplace.invalid>
                Section: admin
                Priority: optional
                Description: The local cloud's stand-in for {stands}
                 Installed by Cake.DoMarketplace's local cloud on new droplets where DigitalOcean would
                 install its own agent. It runs {name}.service and does nothing else: it is there so
                 that purging the agent and DigitalOcean's image scan (/opt/digitalocean) behave as
                 on a DigitalOcean droplet.

                """);
            Write(tree, "DEBIAN/postinst", Executable, $"""
                #!/bin/sh
                set -e
                if [ -d /run/systemd/system ]; then
                  systemctl daemon-reload
                  systemctl enable -f {name}.service
                  systemctl restart {name}.service
                fi

                """);
            Write(tree, "DEBIAN/prerm", Executable, $"""
                #!/bin/sh
                if [ -d /run/systemd/system ]; then
                  systemctl stop {name}.service || true
                  systemctl disable {name}.service || true
                fi

                """);
            Write(tree, "DEBIAN/postrm", Executable, """
                #!/bin/sh
                if [ -d /run/systemd/system ]; then
                  systemctl daemon-reload || true
                fi

                """);
            Write(tree, $"opt/digitalocean/bin/{name}", Executable, $"""
                #!/bin/sh
                # The local cloud's stand-in for {stands}: it runs, and does nothing else.
                echo "{name} (local cloud stand-in) running"
                exec sleep infinity

                """);
            Write(tree, $"etc/systemd/system/{name}.service", Readable, $"""
                [Unit]
                Description={unit} (local cloud stand-in)
                After=network-online.target

                [Service]
                User=root
                ExecStart=/opt/digitalocean/bin/{name}
                Restart=always
                RestartSec=10

                [Install]
                WantedBy=multi-user.target

                """);
            await HostCommands.RunAsync(log, "dpkg-deb", ["--root-owner-group", "-Zgzip", "--build", tree, Path.Combine(folder, $"{name}.deb")],
                cancellationToken);
            Directory.Delete(tree, recursive: true);
        }
    }

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static void Write(string tree, string relative, UnixFileMode mode, string text)
    {
        var path = Path.Combine(tree, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, mode);
    }
}
