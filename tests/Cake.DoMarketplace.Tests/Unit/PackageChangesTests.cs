using Cake.DoMarketplace.Packages;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class PackageChangesTests
{
    private static IReadOnlyDictionary<string, string> Inventory(params string[] lines) => PackageChanges.ParseInventory(string.Join('\n', lines) + '\n');

    [Fact]
    public void The_inventory_keeps_installed_packages_only()
    {
        var inventory = Inventory("nginx\t1.22.1-9\tii ", "old\t1.0\trc ", "half\t2.0\tiU ", "broken line", "openssl\t3.0.22-1~deb12u2\tii ");

        Assert.Equal(["nginx", "openssl"], inventory.Keys);
        Assert.Equal("3.0.22-1~deb12u2", inventory["openssl"]);
    }

    [Fact]
    public void Installed_upgraded_and_removed_packages_are_named_with_their_versions_in_one_line()
    {
        var before = Inventory("openssl\t3.0.17-1\tii ", "libfoo\t1.0\tii ", "curl\t7.88\tii ");
        var after = Inventory("openssl\t3.0.18-1\tii ", "curl\t7.88\tii ", "nginx\t1.22.1-9\tii ", "ufw\t0.36.2-1\tii ");

        var changes = PackageChanges.Between(before, after);

        Assert.Equal(
            "installed 2: nginx 1.22.1-9, ufw 0.36.2-1; upgraded 1: openssl 3.0.17-1 → 3.0.18-1; removed 1: libfoo 1.0; already installed: curl 7.88",
            changes.Describe(after, ["nginx", "curl", "nginx=1.22.1-9", "php*"]));
        Assert.Equal("2 installed, 1 upgraded, 1 removed", changes.Counts);
    }

    [Fact]
    public void A_run_that_changed_nothing_says_so()
    {
        var same = Inventory("openssl\t3.0.22-1~deb12u2\tii ");

        var changes = PackageChanges.Between(same, same);

        Assert.True(changes.IsEmpty);
        Assert.Equal("no package changed; already installed: openssl 3.0.22-1~deb12u2", changes.Describe(same, ["openssl"]));
        Assert.Equal("no package changed", changes.Describe());
    }
}
