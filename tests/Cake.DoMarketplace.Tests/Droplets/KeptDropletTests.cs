using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Droplets;

/// <summary>KeepDropletOnFailure: the kept droplet can be logged into, and the printed clean-up removes the key too.</summary>
public sealed class KeptDropletTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-kept-").FullName;
    private readonly IDoApiClient api = Substitute.For<IDoApiClient>();
    private readonly RecordingLog log = new();

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public void Writes_the_key_owner_only_prints_ssh_and_a_cleanup_that_deletes_droplet_key_and_file()
    {
        var key = SshKeyPair.Generate("cake-domarketplace-test");
        var droplet = new BuildDroplet(9, "myapp build", "192.0.2.10", "nyc3", "debian-12-x64", "s", new FakeSession()) { Api = api, TemporaryKeyId = 55,
            TemporaryKey = key };
        var folder = Path.Combine(work, "artifacts", "kept-droplets");

        var file = KeptDroplet.Keep(droplet, new Cake.Core.IO.FileSystem(), folder, log);

        Assert.Equal(Path.Combine(folder, "myapp_build-9_ed25519"), file);
        Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", File.ReadAllText(file!));
        using (var parsed = new Renci.SshNet.PrivateKeyFile(file!))
        {
            Assert.Equal("ssh-ed25519", parsed.Key.ToString()); // a usable ed25519 key for ssh -i
        }
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file!));
        }

        Assert.Contains($"ssh -i '{file}' root@192.0.2.10", log.AllText);
        Assert.Contains($"doctl compute droplet delete --force 9 && doctl compute ssh-key delete --force 55 && rm -f '{file}'", log.AllText);
        Assert.Contains("DELETE /v2/account/keys/55", log.AllText);
        Assert.DoesNotContain("PRIVATE KEY", log.AllText);
        Assert.Empty(api.ReceivedCalls());
    }

    [Fact]
    public void Without_a_key_in_memory_it_still_says_how_to_delete_the_droplet()
    {
        var droplet = new BuildDroplet(9, "kept", "192.0.2.10", "nyc3", "x", "s", new FakeSession()) { Api = api };

        var file = KeptDroplet.Keep(droplet, new Cake.Core.IO.FileSystem(), Path.Combine(work, "keys"), log);

        Assert.Null(file);
        Assert.Contains("doctl compute droplet delete --force 9 (or DELETE /v2/droplets/9)", log.AllText);
        Assert.DoesNotContain("ssh -i", log.AllText);
    }
}
