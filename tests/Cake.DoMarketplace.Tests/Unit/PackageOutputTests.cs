using Cake.DoMarketplace.Packages;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class PackageOutputTests
{
    [Theory]
    [InlineData("Get:7 http://deb.debian.org/debian-security bookworm-security/main amd64 nginx amd64 1.22.1-9+deb12u11 [532 kB]")]
    [InlineData("Reading package lists...")]
    [InlineData("Building dependency tree...")]
    [InlineData("(Reading database ... 45%")]
    [InlineData("Selecting previously unselected package libgpg-error0:amd64.")]
    [InlineData("Preparing to unpack .../0-libip6tc2_1.8.9-2_amd64.deb ...")]
    [InlineData("Unpacking libgpg-error-l10n (1.46-1) ...")]
    [InlineData("Setting up libgpg-error0:amd64 (1.46-1) ...")]
    [InlineData("Processing triggers for man-db (2.11.2-2) ...")]
    [InlineData("update-alternatives: using /usr/sbin/iptables-nft to provide /usr/sbin/iptables (iptables) in auto mode")]
    [InlineData("Created symlink /etc/systemd/system/multi-user.target.wants/nginx.service → /lib/systemd/system/nginx.service.")]
    [InlineData("0 upgraded, 8 newly installed, 0 to remove and 0 not upgraded.")]
    [InlineData("  Installing       : nginx-1:1.20.1-14.el9.x86_64")]
    public void Progress_is_routine(string line) => Assert.True(PackageOutput.IsRoutine(line));

    [Theory]
    [InlineData("E: Unable to locate package nginx-full")]
    [InlineData("W: Some index files failed to download. They have been ignored, or old ones used instead.")]
    [InlineData("Err:4 http://deb.debian.org/debian bookworm/main amd64 Packages")]
    [InlineData("dpkg: error processing package nginx (--configure):")]
    [InlineData("Job for nginx.service failed because the control process exited with error code.")]
    [InlineData("Warning: failed loading '/etc/yum.repos.d/x.repo', skipping.")]
    [InlineData("Error: Unable to find a match: nginx-full")]
    public void Warnings_and_errors_are_shown(string line) => Assert.False(PackageOutput.IsRoutine(line));
}
