using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Renci.SshNet;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// An ed25519 key pair made for one build. The private key lives only in this object's memory; it is never logged
/// (<see cref="ToString"/> shows the public fingerprint) and is written to disk only on request, as a 0600 file.
/// </summary>
internal sealed class SshKeyPair
{
    private readonly byte[] seed;

    private SshKeyPair(byte[] seed, byte[] publicKey, string comment)
    {
        this.seed = seed;
        PublicKeyBytes = publicKey;
        Comment = comment;
        PublicKeyBlob = OpenSshKeyEncoding.PublicBlob(publicKey);
    }

    /// <summary>The 32-byte ed25519 public key.</summary>
    public byte[] PublicKeyBytes { get; }

    /// <summary>The SSH wire form of the public key (what a server presents as its host key).</summary>
    public byte[] PublicKeyBlob { get; }

    /// <summary>The comment of the public key line.</summary>
    public string Comment { get; }

    /// <summary>The <c>authorized_keys</c> line: <c>ssh-ed25519 AAAA… comment</c>.</summary>
    public string PublicKeyLine => $"ssh-ed25519 {Convert.ToBase64String(PublicKeyBlob)} {Comment}".TrimEnd();

    /// <summary>The MD5 fingerprint DigitalOcean shows for keys (<c>aa:bb:…</c>).</summary>
    [SuppressMessage(
        "Security",
        "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "Not a security use: the MD5 fingerprint is how DigitalOcean's API names an SSH key (its fingerprint field, and key lookup by "
            + "fingerprint); it must be MD5 to match.")]
    public string FingerprintMd5
        => string.Join(':', MD5.HashData(PublicKeyBlob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The SHA256 fingerprint OpenSSH shows (<c>SHA256:…</c>).</summary>
    public string FingerprintSha256 => OpenSshKeyEncoding.Sha256Fingerprint(PublicKeyBlob);

    /// <summary>Generates a new key pair.</summary>
    public static SshKeyPair Generate(string comment)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var privateKey = (Ed25519PrivateKeyParameters)pair.Private;
        var publicKey = (Ed25519PublicKeyParameters)pair.Public;
        return new SshKeyPair(privateKey.GetEncoded(), publicKey.GetEncoded(), comment);
    }

    /// <summary>The private key in OpenSSH format (<c>-----BEGIN OPENSSH PRIVATE KEY-----</c>). Handle with care.</summary>
    public string ToOpenSshPrivateKey() => OpenSshKeyEncoding.PrivateKeyPem(seed, PublicKeyBytes, Comment);

    /// <summary>The key as SSH.NET needs it for authentication.</summary>
    internal PrivateKeyFile ToPrivateKeyFile()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(ToOpenSshPrivateKey()));
        return new PrivateKeyFile(stream);
    }

    /// <summary>
    /// Writes the private key to a new file readable only by its owner (mode 0600 on Unix), for <c>ssh -i</c> while
    /// debugging a kept droplet. The caller deletes the file.
    /// </summary>
    public void WritePrivateKeyFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(new FileStream(path, options), new UTF8Encoding(false));
        writer.Write(ToOpenSshPrivateKey());
    }

    /// <summary>Shows the public fingerprint only.</summary>
    public override string ToString() => $"ed25519 {FingerprintSha256} {Comment}";
}
