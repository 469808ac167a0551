using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Snapshots;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>One error family: every exception the addin raises on purpose derives from DoMarketplaceException.</summary>
public sealed class ExceptionFamilyTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-errors-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void Every_public_exception_type_of_the_addin_derives_from_the_abstract_base()
    {
        var exceptions = typeof(DoMarketplaceException).Assembly.GetExportedTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t))
            .ToList();

        Assert.True(typeof(DoMarketplaceException).IsAbstract);
        Assert.True(exceptions.Count >= 14, string.Join(", ", exceptions.Select(t => t.Name)));
        Assert.All(exceptions, t => Assert.True(typeof(DoMarketplaceException).IsAssignableFrom(t), $"{t.FullName} is not a DoMarketplaceException"));
    }

    [Fact]
    public void A_destroyed_droplet_is_refused_with_a_typed_error_and_the_old_message()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);
        var droplet = new BuildDroplet(9, "build", "192.0.2.10", "nyc3", "debian-12-x64", "s-1vcpu-512mb-10gb", new FakeSession()) { Destroyed = true };

        var error = Assert.Throws<BuildDropletStateException>(() => context.DoRunRemote(droplet, "true"));

        Assert.Equal(9, error.DropletId);
        Assert.EndsWith("has been destroyed.", error.Message);
    }

    [Fact]
    public void Snapshotting_an_attached_machine_is_refused_with_a_typed_error()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);
        var attached = new BuildDroplet(0, "kept", "192.0.2.10", string.Empty, string.Empty, string.Empty, new FakeSession());

        var error = Assert.Throws<BuildDropletStateException>(() => context.DoSnapshot(attached, new SnapshotSettings { Name = "x" }));

        Assert.Contains("only a droplet created by DoCreateBuildDroplet can be snapshotted", error.Message);
    }

    [Fact]
    public void An_unknown_package_manager_is_an_unsupported_distribution()
    {
        var context = TestCakeContext.Create(new RecordingLog(), work);
        var session = new FakeSession { Label = "alpine" }.Reply("/etc/os-release",
            "ID=alpine\nNAME=\"Alpine Linux\"\nVERSION_ID=3.20\nPRETTY_NAME=\"Alpine Linux v3.20\"\n");
        var droplet = new BuildDroplet(9, "alpine", "192.0.2.10", "nyc3", "x", "y", session);

        var error = Assert.Throws<UnsupportedDistributionException>(() => context.DoUpdatePackages(droplet));

        Assert.Equal("Alpine Linux v3.20", error.Distribution);
        Assert.Contains("apt, dnf and yum are supported", error.Message);
    }

    [Fact]
    public void A_droplet_that_cannot_be_deleted_ends_with_cleanup_incomplete()
    {
        var api = Substitute.For<IDoApiClient>();
        api.DeleteDropletAsync(9, Arg.Any<CancellationToken>()).Returns<Task<bool>>(_ => throw new HttpRequestException("connection refused"));
        var droplet = new BuildDroplet(9, "build", "192.0.2.10", "nyc3", "x", "y", new FakeSession()) { Api = api };

        var error = Assert.Throws<CleanupIncompleteException>(() => TestCakeContext.Create(new RecordingLog(), work).DoDestroyDroplet(droplet));

        Assert.Contains("Could not remove everything of droplet 9", error.Message);
    }
}
