using System.Diagnostics;
using Cake.DoMarketplace.Packer;
using Cake.DoMarketplace.Tests.Packer;

namespace Cake.DoMarketplace.Tests.Corpus;

/// <summary>
/// The vendor corpus without a cloud: each template reads from the corpus root in droplet-1-clicks' shape, and every
/// script in it (the extensionless first-boot scripts and MOTDs too, which the repository-wide shellcheck test does not
/// see) is executable where it must be and passes shellcheck.
/// </summary>
public sealed class VendorCorpusFilesTests : IDisposable
{
    private readonly PackerTemplateFiles files = new();

    public static TheoryData<string, string> Apps => new()
    {
        { "lemp-debian-12", "common/scripts/014-ufw-nginx.sh" },
        { "django-debian-12", "common/scripts/014-ufw-nginx.sh" },
        { "prometheus-debian-12", "common/scripts/014-ufw-http.sh" },
    };

    public void Dispose() => files.Dispose();

    [Theory]
    [MemberData(nameof(Apps))]
    public void Each_template_reads_from_the_corpus_root_in_the_shape_of_droplet_1_clicks(string app, string firewall)
    {
        var template = files.Read(Path.Combine(VendorCorpusTemplateTests.CorpusRoot, app, "template.json"),
            new PackerTemplateSettings { WorkingDirectory = VendorCorpusTemplateTests.CorpusRoot });

        var builder = template.Builder;
        Assert.Equal(("debian-12-x64", "nyc3", "s-1vcpu-1gb"), (builder.Image, builder.Region, builder.Size));
        Assert.Equal($"{app}-snapshot-1773500966", builder.SnapshotName);
        Assert.Null(builder.DropletAgent); // left to DigitalOcean's default: the agent is installed, and the cleanup purges it

        var provisioners = template.Provisioners.Select(p => p.Provisioner).ToList();
        var wait = Assert.IsType<ShellProvisioner>(provisioners[0]);
        Assert.EndsWith("\ncloud-init status --wait\n", Assert.Single(wait.Scripts).Content);
        var uploads = provisioners.OfType<FileProvisioner>().SelectMany(f => f.Uploads).Select(u => u.RemotePath).ToList();
        Assert.Contains("/etc", uploads);
        Assert.Contains("/usr", uploads);
        var apt = Assert.Single(provisioners.OfType<ShellProvisioner>(), s
            => s.Scripts.Any(script => script.Content.Contains("\napt-get -qq update\n", StringComparison.Ordinal)));
        Assert.Contains("install --no-install-recommends fail2ban ", apt.Scripts[0].Content);
        Assert.Contains("python3-systemd", apt.Scripts[0].Content);

        var last = Assert.IsType<ShellProvisioner>(provisioners[^1]);
        Assert.Equal(
            [$"{app}/scripts/011-{app.Split('-')[0]}.sh", "common/scripts/013-fail2ban.sh", firewall, "common/scripts/012-force-ssh-logout.sh",
             "common/scripts/020-application-tag.sh", "common/scripts/900-cleanup.sh"],
            last.Scripts.Select(s => s.Name));
        Assert.Contains(last.Environment, e => e.Key == "application_name" && e.Value.Length > 0);
        Assert.Contains(last.Environment, e => e.Key == "application_package" && e.Value.Length > 0);
        Assert.True(
            File.Exists(Path.Combine(VendorCorpusTemplateTests.CorpusRoot, app, "files", "var", "lib", "cloud", "scripts", "per-instance", "001_onboot")));
    }

    [Fact]
    public void The_shared_cleanup_ends_by_purging_the_droplet_agent()
    {
        var lines = File.ReadAllLines(Path.Combine(VendorCorpusTemplateTests.CorpusRoot, "common", "scripts", "900-cleanup.sh"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();

        Assert.Equal(["if grep -qx installed <<< \"$agent\"; then", "apt-get --yes purge 'droplet-agent*'", "else"], lines[^5..^2]);
    }

    [Fact]
    public void Every_script_of_the_corpus_is_executable_and_passes_shellcheck()
    {
        var root = VendorCorpusTemplateTests.CorpusRoot;
        var withShebang = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".py", StringComparison.Ordinal) && File.ReadLines(f).FirstOrDefault() is { } first
                && first.StartsWith("#!/bin/", StringComparison.Ordinal))
            .ToList();
        var sourced = Path.Combine(root, "common", "files", "usr", "local", "lib", "one-click", "first-boot.sh");

        // Not vacuous: the first-boot scripts and MOTDs of all three apps, and the shared and app scripts.
        Assert.Equal(3, withShebang.Count(f => f.EndsWith("/001_onboot", StringComparison.Ordinal)));
        Assert.Equal(3, withShebang.Count(f => f.EndsWith("/99-one-click", StringComparison.Ordinal)));
        Assert.True(withShebang.Count >= 15, string.Join(", ", withShebang));
        Assert.All(withShebang, f
            => Assert.True(File.GetUnixFileMode(f).HasFlag(UnixFileMode.UserExecute), $"{f} is not executable: the file provisioner keeps the mode"));

        var findings = Shellcheck([.. withShebang.Select(f => Path.GetRelativePath(root, f))], [])
            + Shellcheck([Path.GetRelativePath(root, sourced)], ["--shell=bash"]);
        Assert.True(findings.Length == 0, "shellcheck found:\n" + findings);
    }

    private static string Shellcheck(string[] scripts, string[] options)
    {
        var shellcheck = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "shellcheck"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("shellcheck not found on PATH: install it with 'apt-get install -y shellcheck'.");
        var start = new ProcessStartInfo(shellcheck, ["--norc", "--format=gcc", "--severity=style", .. options, .. scripts])
        {
            WorkingDirectory = VendorCorpusTemplateTests.CorpusRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var found = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return found + error.Result;
    }
}
