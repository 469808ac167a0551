using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Support;

/// <summary>
/// A real OpenSSH sshd on 127.0.0.1 with a throwaway host key, accepting only the test's ed25519 key for the current
/// user. It never runs as the system's sshd: its own config, port, pid file and key files live in a temp folder.
/// </summary>
public sealed class SshdFixture : IDisposable
{
    private const string SshdPath = "/usr/sbin/sshd";
    private readonly Process process;
    private readonly string config;
    private readonly string hostKeyPath;

    public SshdFixture()
        : this([])
    {
    }

    /// <summary>An sshd with extra sshd_config lines, for example <c>SetEnv PATH=…</c>.</summary>
    internal SshdFixture(IReadOnlyList<string> extraConfig)
    {
        if (!File.Exists(SshdPath))
        {
            throw new InvalidOperationException(
                $"{SshdPath} not found: the SSH tests need OpenSSH's server. Install it with 'apt-get install -y openssh-server' (.ci/run does).");
        }

        Folder = Directory.CreateTempSubdirectory("cdm-sshd-").FullName;
        File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        WorkFolder = Directory.CreateDirectory(Path.Combine(Folder, "work")).FullName;
        Key = SshKeyPair.Generate("cake-domarketplace-tests");
        HostKey = SshKeyPair.Generate("test-host");
        hostKeyPath = Path.Combine(Folder, "host_ed25519_key");
        HostKey.WritePrivateKeyFile(hostKeyPath);
        File.WriteAllText(Path.Combine(Folder, "authorized_keys"), Key.PublicKeyLine + "\n");
        Directory.CreateDirectory("/run/sshd");
        Port = FreeTcpPort.Next();
        config = Path.Combine(Folder, "sshd_config");
        WriteConfig(extraConfig);
        process = Process.Start(new ProcessStartInfo(SshdPath, ["-D", "-e", "-f", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        WaitForPort();
    }

    public string Folder { get; }

    /// <summary>
    /// Rewrites the configuration with other extra lines and has sshd reload it (SIGHUP: sshd re-executes itself and
    /// applies it to new connections; open ones keep theirs), as a first-boot script that edits sshd_config and restarts
    /// sshd does.
    /// </summary>
    internal void Reload(IReadOnlyList<string> extraConfig)
    {
        WriteConfig(extraConfig);
        using var kill = Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        WaitForPort();
    }

    private void WriteConfig(IReadOnlyList<string> extraConfig) =>
        File.WriteAllText(config, string.Join('\n',
            $"Port {Port}",
            "ListenAddress 127.0.0.1",
            $"HostKey {hostKeyPath}",
            $"AuthorizedKeysFile {Path.Combine(Folder, "authorized_keys")}",
            $"PidFile {Path.Combine(Folder, "sshd.pid")}",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "Subsystem sftp internal-sftp",
            "LogLevel ERROR",
            string.Join('\n', extraConfig),
            string.Empty));

    /// <summary>A scratch folder the tests may write into over SSH.</summary>
    public string WorkFolder { get; }

    public int Port { get; }

    internal SshKeyPair Key { get; }

    internal SshKeyPair HostKey { get; }

    public static string User => Environment.UserName;

    internal SshConnectOptions Options(string label = "test-droplet") => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        User = User,
        Key = Key,
        HostKeys = HostKeyPolicy.Pinned(HostKey.PublicKeyBlob),
        ConnectTimeout = TimeSpan.FromSeconds(20),
        Label = label,
    };

    public void Dispose()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }


    private void WaitForPort()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"sshd exited with {process.ExitCode}: {process.StandardError.ReadToEnd()}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("sshd did not listen within 15 s.");
    }
}
