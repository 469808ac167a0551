using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// The OpenSSH wire and file formats for ed25519 keys (RFC 8709 and OpenSSH's PROTOCOL.key), written by hand because
/// .NET has no ed25519 key export.
/// </summary>
internal static class OpenSshKeyEncoding
{
    private const string KeyType = "ssh-ed25519";

    public static byte[] PublicBlob(byte[] publicKey)
    {
        using var blob = new MemoryStream();
        WriteString(blob, Encoding.ASCII.GetBytes(KeyType));
        WriteString(blob, publicKey);
        return blob.ToArray();
    }

    public static string Sha256Fingerprint(byte[] blob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');

    public static string PrivateKeyPem(byte[] seed, byte[] publicKey, string comment)
    {
        using var file = new MemoryStream();
        file.Write("openssh-key-v1\0"u8);
        WriteString(file, "none"u8.ToArray()); // cipher
        WriteString(file, "none"u8.ToArray()); // kdf
        WriteString(file, []);                 // kdf options
        WriteUInt32(file, 1);                  // number of keys
        WriteString(file, PublicBlob(publicKey));

        using var secret = new MemoryStream();
        var check = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
        WriteUInt32(secret, check);
        WriteUInt32(secret, check);
        WriteString(secret, Encoding.ASCII.GetBytes(KeyType));
        WriteString(secret, publicKey);
        WriteString(secret, [.. seed, .. publicKey]);
        WriteString(secret, Encoding.UTF8.GetBytes(comment));
        for (byte pad = 1; secret.Length % 8 != 0; pad++)
        {
            secret.WriteByte(pad);
        }

        WriteString(file, secret.ToArray());
        var base64 = Convert.ToBase64String(file.ToArray());
        var pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (var i = 0; i < base64.Length; i += 70)
        {
            pem.Append(base64, i, Math.Min(70, base64.Length - i)).Append('\n');
        }

        return pem.Append("-----END OPENSSH PRIVATE KEY-----\n").ToString();
    }

    private static void WriteString(Stream stream, byte[] value)
    {
        WriteUInt32(stream, (uint)value.Length);
        stream.Write(value);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }
}
