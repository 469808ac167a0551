using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.Tests.LocalCloud.Instance;

/// <summary>
/// The vendor data is a multipart document cloud-init reads: DigitalOcean's two settings images rely on, then one
/// script per platform job (the agents, the busy-package-manager fault), each part only when it applies.
/// </summary>
public sealed class VendorDataTests
{
    [Fact]
    public void Without_agents_or_faults_it_is_DigitalOceans_cloud_config_alone()
    {
        var text = VendorData.Compose([], agentsRequired: false);

        Assert.StartsWith("Content-Type: multipart/mixed; boundary=", text, StringComparison.Ordinal);
        Assert.Contains("#cloud-config\ndisable_root: false\nmanage_etc_hosts: true\n", text, StringComparison.Ordinal);
        Assert.Single(Parts(text));
        Assert.DoesNotContain("x-shellscript", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_agents_are_installed_by_a_vendor_script_that_ignores_failures_unless_the_request_insisted()
    {
        var bestEffort = VendorData.Compose(["droplet-agent", "do-agent"], agentsRequired: false);
        var required = VendorData.Compose(["droplet-agent"], agentsRequired: true);

        Assert.Equal(2, Parts(bestEffort).Count);
        Assert.Contains("for package in droplet-agent do-agent; do", bestEffort, StringComparison.Ordinal);
        Assert.Contains("http://169.254.169.254/local-cloud/packages/$package.deb", bestEffort, StringComparison.Ordinal);
        Assert.Contains("/sys/devices/virtual/dmi/id/bios_vendor", bestEffort, StringComparison.Ordinal);
        Assert.Contains("exit 0", bestEffort, StringComparison.Ordinal);
        Assert.Contains("exit $failed", required, StringComparison.Ordinal);
    }

    [Fact]
    public void The_busy_package_manager_fault_holds_apts_locks_under_unattended_upgrades_name_for_its_duration()
    {
        var busy = Cake.DoMarketplace.LocalCloud.Faults.PackageManagerBusyScript.For(TimeSpan.FromSeconds(42.5));
        var text = VendorData.WithScript(VendorData.Compose([], agentsRequired: false),
            Cake.DoMarketplace.LocalCloud.Faults.PackageManagerBusyScript.Name, busy);

        var script = Parts(text).Last();
        Assert.Contains("filename=\"90-package-manager-busy\"", script, StringComparison.Ordinal);
        Assert.Contains("#!/bin/sh", script, StringComparison.Ordinal);
        Assert.Contains("unattended-upgr", script, StringComparison.Ordinal);
        foreach (var lockFile in new[] { "/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/cache/apt/archives/lock", "/var/lib/apt/lists/lock" })
        {
            Assert.Contains(lockFile, script, StringComparison.Ordinal);
        }

        Assert.Contains("fcntl.lockf", script, StringComparison.Ordinal);
        Assert.Contains(" 42.5", script, StringComparison.Ordinal);
    }

    private static List<string> Parts(string text)
    {
        var boundary = text.Split('"')[1];
        return text.Split("--" + boundary).Skip(1).SkipLast(1).ToList();
    }
}
