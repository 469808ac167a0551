using System.Security.Cryptography;
using System.Text;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Reliability;

/// <summary>
/// The free-space erase's one promise, checked on the bytes: a secret written during the build and deleted is in
/// neither the droplet's disk nor the snapshot's layer after <c>DoCleanupImage</c> with its default settings; with the
/// erase skipped the same scan finds it on the disk (so the scan can fail). The temporary private key, the build's
/// host key and the API token are never in the image.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeletedDataTests(LocalCloudFixture cloud, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<LocalCloudFixture>
{
    [Theory]
    [InlineData(FreeSpaceHandling.ZeroFill, nameof(ZeroFillMethod.Fastest),
        @"erased on /dev/vda \(every free block now reads as zero\): the disk zeroed it itself, [\d.]+ \w+ unmapped")]
    [InlineData(FreeSpaceHandling.ZeroFill, nameof(ZeroFillMethod.ReadFirst),
        @"erased on /dev/vda \(every free block now reads as zero\): read it all, [\d.]+ \w+ was not zero and was zeroed")]
    [InlineData(FreeSpaceHandling.ZeroFill, nameof(ZeroFillMethod.ThroughFile), "zero-filled .* through /zerofile")]
    [InlineData(FreeSpaceHandling.Skip, nameof(ZeroFillMethod.Fastest), "free space: skipped")]
    public void A_deleted_secret_is_gone_from_every_byte_of_the_image_after_the_erase(FreeSpaceHandling freeSpace, string zeroFillMethod,
        string howTheLogSaysItWasDone)
    {
        var method = Enum.Parse<ZeroFillMethod>(zeroFillMethod);
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var marker = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var droplet = context.DoCreateBuildDroplet(s => s.Name = $"deleted-data-{freeSpace}-{method}".ToLowerInvariant());
        try
        {
            // 1 MiB of the marker: whole data blocks, not data inlined in an inode.
            context.DoWriteRemoteFile(droplet, "/root/secret.bin", string.Concat(Enumerable.Repeat(marker, 16384)), "600");
            context.DoRunRemote(droplet, "sync && rm /root/secret.bin && sync");
            var hostKey = context.DoRunRemote(droplet, "cat /etc/ssh/ssh_host_ed25519_key", new RemoteCommandSettings { LogOutput = false }).StandardOutput;
            var secrets = new Dictionary<string, byte[]>
            {
                ["marker"] = Encoding.ASCII.GetBytes(marker),
                ["API token"] = Encoding.ASCII.GetBytes(LocalCloudFixture.Token),
            };
            AddKeyLines(secrets, "temporary private key", droplet.TemporaryKey!.ToOpenSshPrivateKey());
            AddKeyLines(secrets, "build host key", hostKey);

            context.DoCleanupImage(droplet, s => { s.UpdatePackages = false; s.FreeSpace = freeSpace; s.ZeroFillMethod = method; });
            var image = context.DoSnapshot(droplet, s => s.Name = $"deleted-data-{freeSpace}".ToLowerInvariant());

            var disk = ByteScan.Count(
                Path.Combine(cloud.DataDirectory, "droplets", droplet.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "disk.img"), secrets);
            var layer = ByteScan.Count(
                Path.Combine(cloud.DataDirectory, "images", image.ImageId.ToString(System.Globalization.CultureInfo.InvariantCulture)), secrets);
            output.WriteLine(
                string.Join('\n',
                log.Lines.Select(l => l.Text).Where(t => t.Contains("free space", StringComparison.Ordinal) || t.Contains("==>", StringComparison.Ordinal))));
            output.WriteLine($"{freeSpace}: droplet disk {Describe(disk)}; snapshot layer {Describe(layer)}");
            Assert.Contains(log.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l.Text, howTheLogSaysItWasDone));

            Assert.Equal(0, layer.Values.Sum());
            Assert.Equal(0,
                disk.Where(h => h.Key.StartsWith("API token", StringComparison.Ordinal) || h.Key.StartsWith("temporary", StringComparison.Ordinal)).Sum(h
                => h.Value));
            if (freeSpace == FreeSpaceHandling.ZeroFill)
            {
                Assert.Equal(0, disk.Values.Sum());
            }
            else
            {
                Assert.True(disk["marker"] > 0, "without the erase the deleted marker must still be on the disk, else this scan proves nothing");
            }

            context.DoDeleteSnapshot(image.ImageId, _ => { });
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }

        Assert.Empty(cloud.Leftovers());
    }

    /// <summary>The key's PEM lines that hold key bytes (the first line is the same for every ed25519 key).</summary>
    private static void AddKeyLines(Dictionary<string, byte[]> secrets, string name, string pem)
    {
        var body = pem.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l
            => !l.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.True(body.Count >= 4, $"{name}: not an OpenSSH private key");
        for (var i = 1; i < body.Count - 1; i++)
        {
            secrets[$"{name} line {i + 1}"] = Encoding.ASCII.GetBytes(body[i]);
        }
    }

    private static string Describe(Dictionary<string, long> hits) =>
        string.Join(", ", hits.GroupBy(h => h.Key.Split(" line ")[0]).Select(g => $"{g.Key} {g.Sum(h => h.Value)}"));
}
