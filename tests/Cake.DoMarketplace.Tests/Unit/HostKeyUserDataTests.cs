using System.Text.RegularExpressions;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class HostKeyUserDataTests
{
    private static readonly SshKeyPair HostKey = SshKeyPair.Generate("build-host");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_user_data_it_is_a_cloud_config_that_pins_the_host_key(string? userData)
    {
        var text = HostKeyUserData.Compose(HostKey, userData);

        Assert.StartsWith("#cloud-config\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Type", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.Contains("\nssh_deletekeys: true\nssh_keys:\n  ed25519_private: |\n", text, StringComparison.Ordinal);
        Assert.EndsWith($"\n  ed25519_public: {HostKey.PublicKeyLine}\n", text, StringComparison.Ordinal);
        AssertIsTheHostKey(PrivateKeyBlock(text));
    }

    [Fact]
    public void User_data_becomes_the_second_part_of_a_mime_multipart_with_lf_line_ends()
    {
        var text = HostKeyUserData.Compose(HostKey, "#!/bin/bash\r\necho 'hi'\r\n\n\n");

        var boundary = Regex.Match(text, "^Content-Type: multipart/mixed; boundary=\"([^\"]+)\"\nMIME-Version: 1.0\n\n").Groups[1].Value;
        Assert.NotEmpty(boundary);
        Assert.EndsWith($"--{boundary}--\n", text, StringComparison.Ordinal);
        var parts = text.Split("--" + boundary)[1..^1];
        Assert.Equal(2, parts.Length);

        Assert.StartsWith("\nContent-Type: text/cloud-config; charset=\"utf-8\"\nMIME-Version: 1.0\n\n#cloud-config\n", parts[0], StringComparison.Ordinal);
        AssertIsTheHostKey(PrivateKeyBlock(parts[0]));
        Assert.Equal("\nContent-Type: text/x-shellscript; charset=\"utf-8\"\nMIME-Version: 1.0\n\n#!/bin/bash\necho 'hi'\n", parts[1]);
    }

    [Fact]
    public void Each_message_has_its_own_boundary()
    {
        static string Boundary(string text) => Regex.Match(text, "boundary=\"([^\"]+)\"").Groups[1].Value;

        Assert.NotEqual(Boundary(HostKeyUserData.Compose(HostKey, "hello")), Boundary(HostKeyUserData.Compose(HostKey, "hello")));
    }

    [Theory]
    [InlineData("#cloud-config\npackages: [nginx]", "text/cloud-config")]
    [InlineData("  \n#!/bin/sh\necho hi", "text/x-shellscript")]
    [InlineData("#cloud-boothook\necho early", "text/cloud-boothook")]
    [InlineData("#include https://example.com/cfg", "text/x-include-url")]
    [InlineData("just some words", "text/plain")]
    [InlineData("# a comment, not a cloud-config", "text/plain")]
    public void The_user_part_is_typed_by_its_first_line(string userData, string contentType)
    {
        var text = HostKeyUserData.Compose(HostKey, userData);

        Assert.Contains($"\nContent-Type: {contentType}; charset=\"utf-8\"\nMIME-Version: 1.0\n\n{userData}\n--", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The block is the host key's OpenSSH private key, intact: same armour and line count as the key's own PEM (whose
    /// random check bytes differ per serialisation), and its body holds the key's public blob.
    /// </summary>
    private static void AssertIsTheHostKey(string block)
    {
        var pem = HostKey.ToOpenSshPrivateKey().TrimEnd('\n').Split('\n');
        var lines = block.Split('\n');
        Assert.Equal("-----BEGIN OPENSSH PRIVATE KEY-----", lines[0]);
        Assert.Equal("-----END OPENSSH PRIVATE KEY-----", lines[^1]);
        Assert.Equal(pem.Length, lines.Length);
        var body = Convert.FromBase64String(string.Concat(lines[1..^1]));
        Assert.True(body.AsSpan().IndexOf(HostKey.PublicKeyBlob) > 0, "the private key block does not hold the host key's public key");
    }

    /// <summary>The <c>ed25519_private: |</c> block scalar, with its 4-space indent removed.</summary>
    private static string PrivateKeyBlock(string cloudConfig)
    {
        var lines = cloudConfig.Split('\n');
        var start = Array.IndexOf(lines, "  ed25519_private: |") + 1;
        var block = lines[start..].TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l[4..]).ToArray();
        Assert.NotEmpty(block);
        return string.Join('\n', block);
    }
}
