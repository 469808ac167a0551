using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Packages;

namespace Cake.DoMarketplace.Tests.Unit;

/// <summary>The package commands, each package manager call through package_run (it waits while the locks are held).</summary>
public sealed class PackageCommandsTests
{
    private const string AptPrefix = "export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a; " +
        "if { [ -n \"$(find /run/cake-domarketplace/apt-index -mmin -30 2>/dev/null)\" ] && [ \"$(cat /run/cake-domarketplace/apt-index)\" = \"$(cat "
            + "/etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | cksum)\" ] && ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; }; " +
        "then echo 'Package index: refreshed by this build less than 30 min ago, sources unchanged: not refreshed again'; " +
        "else package_run apt-get -qq -o APT::Color=0 update && mkdir -p /run/cake-domarketplace && cat /etc/apt/sources.list /etc/apt/sources.list.d/* "
            + "2>/dev/null | cksum > /run/cake-domarketplace/apt-index; fi && " +
        "package_run apt-get -y -q -o Dpkg::Use-Pty=0 -o APT::Color=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ";

    [Theory]
    [InlineData(nameof(PackageFamily.Apt), AptPrefix + "dist-upgrade")]
    [InlineData(nameof(PackageFamily.Dnf), "package_run dnf -y -q upgrade --refresh")]
    [InlineData(nameof(PackageFamily.Yum), "package_run yum -y -q update")]
    public void Upgrade_is_non_interactive_per_family(string family, string expected) =>
        Assert.Equal(expected, PackageCommands.Upgrade(Enum.Parse<PackageFamily>(family)));

    [Theory]
    [InlineData(nameof(PackageFamily.Apt), AptPrefix + "install --no-install-recommends 'nginx' 'php8.2-fpm' 'libstdc++6' 'nginx=1.22.1-9' 'php*'")]
    [InlineData(nameof(PackageFamily.Dnf), "package_run dnf -y -q install 'nginx' 'php8.2-fpm' 'libstdc++6' 'nginx=1.22.1-9' 'php*'")]
    [InlineData(nameof(PackageFamily.Yum), "package_run yum -y -q install 'nginx' 'php8.2-fpm' 'libstdc++6' 'nginx=1.22.1-9' 'php*'")]
    public void Install_quotes_each_package_so_versions_and_globs_reach_the_package_manager(string family, string expected) =>
        Assert.Equal(expected, PackageCommands.Install(Enum.Parse<PackageFamily>(family), ["nginx", "php8.2-fpm", "libstdc++6", "nginx=1.22.1-9", "php*"]));

    [Theory]
    [InlineData("nginx; rm -rf /")]
    [InlineData("$(id)")]
    [InlineData("`id`")]
    [InlineData("nginx\n")]
    [InlineData("-y")]
    [InlineData("--allow-downgrades")]
    [InlineData("two words")]
    [InlineData("it's")]
    [InlineData("")]
    public void Anything_but_a_package_name_is_refused_before_a_command_is_made(string package)
    {
        var error = Assert.Throws<DoSettingsException>(() => PackageCommands.Install(PackageFamily.Apt, ["curl", package]));

        Assert.Equal("packages", error.Setting);
        Assert.Contains($"'{package}' is not a package name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_family_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PackageCommands.Upgrade((PackageFamily)99));
        Assert.Throws<ArgumentOutOfRangeException>(() => PackageCommands.Install((PackageFamily)99, ["curl"]));
    }
}
