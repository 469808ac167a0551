namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// <c>do-local-cloud</c> refused by the machine, as a real process: not root, and an address range that collides with
/// the host's network (found by the survey before anything is changed). Needs root: the first runs the command as
/// <c>nobody</c>, the second gets past the prerequisites.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LocalCloudStartFailureOnHostTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-start-host-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    [Fact]
    public async Task Not_root_is_one_line_saying_how_to_run_it()
    {
        File.SetUnixFileMode(work, (UnixFileMode)0b111_111_111);

        var (exit, _, stderr) = await LocalCloudStartFailureTests.RunAsync(["--port", "0", "--token", "t", "--data-dir", Path.Combine(work, "data")],
            user: "nobody");

        Assert.Equal(1, exit);
        LocalCloudStartFailureTests.AssertOneLine(stderr,
            "The local cloud cannot run droplets on this machine: root: namespaces, overlay mounts and chroot need root. Run the build as root");
    }

    [Fact]
    public async Task An_address_range_colliding_with_the_hosts_network_is_one_line_naming_what_it_collides_with()
    {
        var uplink = await HostAddressAsync();

        var (exit, _, stderr) = await LocalCloudStartFailureTests.RunAsync(
            ["--port", "0", "--token", "t", "--data-dir", Path.Combine(work, "data"), "--address-range", uplink]);

        Assert.Equal(1, exit);
        LocalCloudStartFailureTests.AssertOneLine(stderr,
            $"The droplet address range {uplink} (LocalCloudOptions.AddressRange, --address-range or LOCAL_CLOUD_ADDRESS_RANGE) collides with this machine's "
            + "network:");
        Assert.Contains("Choose a range none of them is in", stderr);
    }

    /// <summary>The network of the host's default route (such as 192.0.2.0/24), read with ip.</summary>
    private static async Task<string> HostAddressAsync()
    {
        var (code, output) = await Support.ProcessRunner.RunAsync("ip", ["-4", "-o", "route", "show", "scope", "link", "proto", "kernel"], Path.GetTempPath(),
            TimeSpan.FromSeconds(30));
        Assert.Equal(0, code);
        var network = output.Split('\n').Select(l => l.Split(' ')[0]).FirstOrDefault(n => n.Contains('/', StringComparison.Ordinal)
            && !n.StartsWith("198.18.", StringComparison.Ordinal));
        return network ?? throw new InvalidOperationException($"No kernel route of a link to collide with in:\n{output}");
    }
}
