using Cake.Core.IO;

namespace Cake.DoMarketplace.Droplets;

/// <summary>Settings of <c>DoAttachBuildDroplet</c>: an existing machine reached by address and key.</summary>
public sealed class AttachDropletSettings
{
    /// <summary>The machine's address. Required.</summary>
    public string? Host { get; set; }

    /// <summary>The SSH port.</summary>
    public int Port { get; set; } = 22;

    /// <summary>The remote user.</summary>
    public string User { get; set; } = "root";

    /// <summary>The OpenSSH private key file to log in with. Required.</summary>
    public FilePath? PrivateKeyPath { get; set; }

    /// <summary>Accept only this host key (an OpenSSH public key line); null accepts the key presented and logs it.</summary>
    public string? KnownHostKey { get; set; }

    /// <summary>The name shown in the log; defaults to the host.</summary>
    public string? Label { get; set; }

    /// <summary>The droplet id, when known, for the record.</summary>
    public long DropletId { get; set; }

    /// <summary>How long to keep trying until sshd answers.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
