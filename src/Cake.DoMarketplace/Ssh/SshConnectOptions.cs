namespace Cake.DoMarketplace.Ssh;

/// <summary>Where and how to open an SSH session.</summary>
internal sealed class SshConnectOptions
{
    /// <summary>Address of the machine.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>SSH port.</summary>
    public int Port { get; set; } = 22;

    /// <summary>Remote user.</summary>
    public string User { get; set; } = "root";

    /// <summary>The key to authenticate with.</summary>
    public SshKeyPair? Key { get; set; }

    /// <summary>An OpenSSH private key text to authenticate with, when not using <see cref="Key"/>.</summary>
    public string? PrivateKeyText { get; set; }

    /// <summary>Which host keys to accept.</summary>
    public HostKeyPolicy HostKeys { get; set; } = HostKeyPolicy.AcceptAny;

    /// <summary>How long to keep trying until sshd answers and accepts the key.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The setting named in the timeout message as the one to raise: the caller's own setting that became
    /// <see cref="ConnectTimeout"/>, such as <c>BuildDropletSettings.SshTimeout</c> or <c>AttachDropletSettings.ConnectTimeout</c>.
    /// </summary>
    public string ConnectTimeoutSetting { get; set; } = $"{nameof(SshConnectOptions)}.{nameof(ConnectTimeout)}";

    /// <summary>Label of the machine in the log.</summary>
    public string Label { get; set; } = string.Empty;
}
