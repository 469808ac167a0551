using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>An account SSH key.</summary>
internal sealed record SshKeyRecord(long Id, string Name, string PublicKey, string Fingerprint);

/// <summary>The account's SSH keys, addressable by id or MD5 fingerprint as on DigitalOcean.</summary>
internal sealed class SshKeyStore
{
    private readonly ConcurrentDictionary<long, SshKeyRecord> keys = new();
    private long nextId = 512189;

    public IReadOnlyList<SshKeyRecord> All => keys.Values.OrderBy(k => k.Id).ToList();

    /// <summary>Adds a key; null with a reason when the key text is not an OpenSSH public key or is already registered.</summary>
    public (SshKeyRecord? Key, string? Error) Add(string? name, string? publicKey)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, "Name is required.");
        }

        var parts = (publicKey ?? string.Empty).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        byte[] blob;
        try
        {
            blob = parts.Length >= 2 && parts[0].StartsWith("ssh-", StringComparison.Ordinal) || parts.Length >= 2
                && parts[0].StartsWith("ecdsa-", StringComparison.Ordinal)
                ? Convert.FromBase64String(parts[1])
                : throw new FormatException();
        }
        catch (FormatException)
        {
            return (null, "Key invalid type, we support 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', or 'ecdsa-sha2-nistp521'.");
        }

        var fingerprint = Md5Fingerprint(blob);
        if (keys.Values.Any(k => k.Fingerprint == fingerprint))
        {
            return (null, "SSH Key is already in use on your account");
        }

        var key = new SshKeyRecord(Interlocked.Increment(ref nextId), name, publicKey!.Trim(), fingerprint);
        keys[key.Id] = key;
        return (key, null);
    }

    public SshKeyRecord? Find(string idOrFingerprint) =>
        long.TryParse(idOrFingerprint, out var id) ? keys.GetValueOrDefault(id) : keys.Values.FirstOrDefault(k => k.Fingerprint == idOrFingerprint);

    public bool Remove(string idOrFingerprint) => Find(idOrFingerprint) is { } key && keys.TryRemove(key.Id, out _);

    /// <summary>The key's fingerprint as DigitalOcean's API gives it and accepts in place of an id (<c>aa:bb:…</c>).</summary>
    [SuppressMessage(
        "Security",
        "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "Not a security use: the MD5 fingerprint is DigitalOcean's public name of an SSH key (the API's fingerprint field and key lookup); "
            + "the emulator must produce the same value.")]
    private static string Md5Fingerprint(byte[] blob) =>
        string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
