using Cake.DoMarketplace.Droplets;

namespace Cake.DoMarketplace.Tests.Orphans;

public sealed class BuildIdentityTests
{
    [Fact]
    public void A_key_name_gives_back_its_build_and_start_time()
    {
        var build = new BuildIdentity("0a1b2c3d", new DateTimeOffset(2026, 11, 29, 23, 15, 40, TimeSpan.Zero));

        Assert.Equal("cake-domarketplace-0a1b2c3d-20261129T231540Z", build.KeyName);
        Assert.Equal(build, BuildIdentity.FromKeyName(build.KeyName));
        Assert.Equal("0a1b2c3d", BuildIdentity.IdFromTag(build.Tag));
    }

    [Theory]
    [InlineData("my-laptop")]
    [InlineData("cake-domarketplace-0a1b2c3d")]
    [InlineData("cake-domarketplace-0a1b2c3d-20261399T999999Z")]
    [InlineData("cake-domarketplace-XYZ12345-20261129T231540Z")]
    public void Other_key_names_are_not_builds(string name) => Assert.Null(BuildIdentity.FromKeyName(name));

    [Theory]
    [InlineData("cake-domarketplace")]
    [InlineData("cake-domarketplace-kept")]
    [InlineData("production")]
    public void Other_tags_are_not_build_tags(string tag) => Assert.Null(BuildIdentity.IdFromTag(tag));

    [Fact]
    public void A_lease_is_held_while_open_and_a_stale_lease_file_is_not()
    {
        var id = BuildIdentity.New().Id;
        var leases = BuildLeases.OnThisMachine;
        using (leases.Take(id))
        {
            Assert.True(leases.IsHeld(id));
        }

        Assert.False(leases.IsHeld(id));

        // What a killed process leaves: the file without its lock.
        var stale = leases.PathOf(id).FullPath;
        File.WriteAllText(stale, string.Empty);
        Assert.False(leases.IsHeld(id));
        Assert.False(File.Exists(stale));
    }
}
