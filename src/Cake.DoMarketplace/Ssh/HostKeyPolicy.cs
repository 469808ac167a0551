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
    public static HostKeyPolicy PinnedLine(string publicKeyLine)
    {
        var parts = publicKeyLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var base64 = parts.FirstOrDefault(p => p.StartsWith("AAAA", StringComparison.Ordinal))
            ?? throw new ArgumentException($"'{publicKeyLine}' is not an OpenSSH public key line such as 'ssh-ed25519 AAAA…'.", nameof(publicKeyLine));
        return Pinned(Convert.FromBase64String(base64));
    }

    /// <summary>Whether to trust <paramref name="presentedBlob"/>.</summary>
    public bool Accepts(byte[] presentedBlob) =>
        expectedBlob is null || expectedBlob.AsSpan().SequenceEqual(presentedBlob);

    /// <summary>The SHA256 fingerprint of the pinned key, if any.</summary>
    public string? ExpectedFingerprint => expectedBlob is null ? null : OpenSshKeyEncoding.Sha256Fingerprint(expectedBlob);
}
