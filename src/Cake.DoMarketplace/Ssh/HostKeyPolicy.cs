using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>Decides whether the host key a server presents is the machine we expect.</summary>
internal sealed class HostKeyPolicy
{
    private readonly byte[]? expectedBlob;

    private HostKeyPolicy(byte[]? expectedBlob) => this.expectedBlob = expectedBlob;

    /// <summary>Accept whatever key the server presents (trust on first use); the fingerprint is logged.</summary>
    public static HostKeyPolicy AcceptAny { get; } = new(null);

    /// <summary>True when only one known key is accepted.</summary>
    public bool IsPinned => expectedBlob is not null;

    /// <summary>Accept only the key whose SSH wire form is <paramref name="publicKeyBlob"/>.</summary>
    public static HostKeyPolicy Pinned(byte[] publicKeyBlob) => new(publicKeyBlob.ToArray());

    /// <summary>Accept only the key of an <c>authorized_keys</c>/<c>known_hosts</c> style line (<c>ssh-ed25519 AAAA…</c>).</summary>
    /// <param name="publicKeyLine">The line, as the user's setting gives it.</param>
    /// <param name="setting">The setting that holds it, named by the error when the line is no key.</param>
    /// <exception cref="DoSettingsException">The line holds no base64 key.</exception>
    public static HostKeyPolicy PinnedLine(string publicKeyLine, string setting)
    {
        var base64 = publicKeyLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => p.StartsWith("AAAA", StringComparison.Ordinal));
        byte[]? blob = null;
        try
        {
            blob = base64 is null ? null : Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            // not base64 after all: the same answer as no key at all
        }

        return blob is null
            ? throw new DoSettingsException(setting, $"{setting} must be an OpenSSH public key line such as 'ssh-ed25519 AAAA…'.")
            : Pinned(blob);
    }

    /// <summary>Whether to trust <paramref name="presentedBlob"/>.</summary>
    public bool Accepts(byte[] presentedBlob) =>
        expectedBlob is null || expectedBlob.AsSpan().SequenceEqual(presentedBlob);

    /// <summary>The SHA256 fingerprint of the pinned key, if any.</summary>
    public string? ExpectedFingerprint => expectedBlob is null ? null : OpenSshKeyEncoding.Sha256Fingerprint(expectedBlob);
}
