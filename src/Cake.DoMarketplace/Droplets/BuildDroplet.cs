using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Droplets;

/// <summary>
/// A build droplet and its open SSH session. Returned by <c>DoCreateBuildDroplet</c> (or <c>DoAttachBuildDroplet</c>) and
/// passed to every alias that works on the machine.
/// </summary>
public sealed class BuildDroplet : IDisposable
{
    internal BuildDroplet(long id, string name, string publicIPv4, string region, string image, string size, IRemoteSession session)
    {
        Id = id;
        Name = name;
        PublicIPv4 = publicIPv4;
        Region = region;
        Image = image;
        Size = size;
        Session = session;
    }

    /// <summary>The droplet id (0 for a machine attached by address only).</summary>
    public long Id { get; }

    /// <summary>The droplet name.</summary>
    public string Name { get; }

    /// <summary>The public IPv4 address SSH connects to.</summary>
    public string PublicIPv4 { get; }

    /// <summary>The region slug.</summary>
    public string Region { get; }

    /// <summary>The base image slug or id.</summary>
    public string Image { get; }

    /// <summary>The size slug.</summary>
    public string Size { get; }

    /// <summary>The open SSH session, kept for the whole build.</summary>
    internal IRemoteSession Session { get; }

    /// <summary>The SHA256 fingerprint of the droplet's SSH host key (pass it to <c>DoTestImage</c>).</summary>
    public string? HostKeyFingerprint => (Session as SshRemoteSession)?.HostKeyFingerprint;

    /// <summary>The API client that created the droplet; null for an attached machine.</summary>
    internal IDoApiClient? Api { get; init; }

    /// <summary>
    /// Whether <see cref="Dispose"/> closes <see cref="Api"/>: true for a droplet made by <c>DoCreateBuildDroplet</c>,
    /// false inside <c>DoBuildImage</c>, whose one client serves every step.
    /// </summary>
    internal bool OwnsApi { get; set; }

    /// <summary>The base64 part of the temporary key's public line, to tell it from other keys on the droplet.</summary>
    internal string? TemporaryPublicKey { get; init; }

    /// <summary>
    /// The temporary key pair itself, in memory only: written to a 0600 file just when the droplet is kept for debugging
    /// (<c>KeepDropletOnFailure</c>). Null for an attached machine.
    /// </summary>
    internal SshKeyPair? TemporaryKey { get; init; }

    /// <summary>The build that made the droplet: its tag, and when it started.</summary>
    internal BuildIdentity? Build { get; init; }

    /// <summary>Tells an orphan sweep on this machine that the build is still running; released when the droplet is gone.</summary>
    internal BuildLease? Lease { get; init; }

    /// <summary>The temporary SSH key registered for this build, deleted with the droplet.</summary>
    internal long? TemporaryKeyId { get; init; }

    /// <summary>Set once the droplet has been destroyed.</summary>
    internal bool Destroyed { get; set; }

    /// <summary>Closes the SSH session and the API client. Does not destroy the droplet: use <c>DoDestroyDroplet</c>.</summary>
    public void Dispose()
    {
        Session.Dispose();
        Lease?.Dispose();
        if (OwnsApi)
        {
            Api?.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"droplet {Id} '{Name}' ({PublicIPv4}, {Region}, {Size}, {Image})";
}
