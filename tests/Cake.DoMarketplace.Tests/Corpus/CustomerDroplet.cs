using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Api.Models;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Cake.DoMarketplace.Tests.Corpus;

/// <summary>
/// A droplet made from a corpus image as a customer's create makes it (no <c>with_droplet_agent</c>), for what
/// <c>DoTestImage</c> cannot see from outside: the first boot's files, passwords that work, the sshd lock gone, the
/// fail2ban jail counting a real failed login. A cloud-config <c>bootcmd</c> copies <c>sshd_config</c> as the image
/// shipped it, before the first boot's per-instance script runs, so the lock the image ships is seen on every run.
/// </summary>
internal sealed class CustomerDroplet : IAsyncDisposable
{
    /// <summary>What a root login prints while the image's first-boot lock is in place.</summary>
    public const string LockNotice = "Please wait while we get your droplet ready...";

    /// <summary>Where the <c>bootcmd</c> puts the image's own <c>sshd_config</c>.</summary>
    public const string ShippedSshdConfig = "/root/sshd_config.as-shipped";

    private readonly DoApiClient api;
    private readonly long keyId;

    private CustomerDroplet(DoApiClient api, long keyId, DoDroplet droplet, SshRemoteSession session)
    {
        this.api = api;
        this.keyId = keyId;
        Droplet = droplet;
        Session = session;
    }

    public DoDroplet Droplet { get; }

    public string Address => Droplet.PublicIPv4!;

    public SshRemoteSession Session { get; }

    /// <summary>How many root logins only printed <see cref="LockNotice"/> before the first boot let root in.</summary>
    public int LockedLogins { get; private set; }

    /// <summary>Creates the droplet and logs in once the first boot has let root in and cloud-init is done.</summary>
    public static async Task<CustomerDroplet> StartAsync(LocalCloudFixture cloud, long imageId, string name, string size)
    {
        var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        var key = SshKeyPair.Generate(name);
        var registered = await api.CreateSshKeyAsync(name, key.PublicKeyLine);
        var request = new DoDropletCreateRequest
        {
            Name = name,
            Region = "nyc3",
            Size = size,
            Image = imageId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            UserData = $"#cloud-config\nbootcmd:\n  - [cp, /etc/ssh/sshd_config, {ShippedSshdConfig}]\n",
            Tags = ["local-cloud-test"],
        };
        request.SshKeys.Add(registered.Fingerprint);
        var created = await api.CreateDropletAsync(request);
        DoDroplet droplet = created;
        for (var i = 0; i < 1200 && droplet.Status != "active"; i++)
        {
            await Task.Delay(100);
            droplet = await api.GetDropletAsync(created.Id);
        }

        Assert.True(droplet.Status == "active", $"droplet {created.Id} is {droplet.Status}, not active, after 2 minutes");
        var session = await SshRemoteSession.ConnectAsync(
            new SshConnectOptions { Host = droplet.PublicIPv4!, Key = key, Label = name, ConnectTimeout = TimeSpan.FromMinutes(2) }, new RecordingLog());
        var customer = new CustomerDroplet(api, registered.Id, droplet, session);
        await customer.WaitForRootLoginAsync();
        return customer;
    }

    /// <summary>Runs a bash command as root and returns what came of it, whatever its exit status.</summary>
    public Task<RemoteCommandResult> TryAsync(string command) =>
        Session.RunBashAsync(command, null, new RemoteCommandSettings { AllowNonZeroExit = true, LogOutput = false });

    /// <summary>Runs a bash command as root; fails the test on a non-zero exit, with both output streams.</summary>
    public async Task<string> RunAsync(string command)
    {
        var result = await TryAsync(command);
        Assert.True(result.ExitStatus == 0, $"'{command}' on {Droplet.Name} exited {result.ExitStatus}:\n{result.StandardOutput}\n{result.StandardError}");
        return result.StandardOutput.Trim();
    }

    /// <summary>
    /// One SSH login as <paramref name="user"/> with a key the droplet does not know, from this machine: sshd refuses
    /// it and logs the failure, as a brute-force attempt does. Connections refused by ufw's rate limit are tried again.
    /// </summary>
    public async Task FailOneLoginAsync(string user)
    {
        using var stranger = SshKeyPair.Generate("stranger").ToPrivateKeyFile();
        for (var attempt = 1; ; attempt++)
        {
            using var client = new SshClient(
                new ConnectionInfo(Address, user, new PrivateKeyAuthenticationMethod(user, stranger)) { Timeout = TimeSpan.FromSeconds(10) });
            try
            {
                await client.ConnectAsync(CancellationToken.None);
                Assert.Fail($"{user} logged in with a key the droplet was never given");
            }
            catch (SshAuthenticationException)
            {
                return; // sshd received the attempt and refused it
            }
            catch (Exception e) when (attempt < 4 && e is SshConnectionException or SshOperationTimeoutException or System.Net.Sockets.SocketException)
            {
                await Task.Delay(TimeSpan.FromSeconds(10)); // ufw's 'limit' lets a source open 6 connections in 30 s
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Session.Dispose();
        await api.DeleteDropletAsync(Droplet.Id);
        await api.DeleteSshKeyAsync(keyId);
        api.Dispose();
    }

    // The image locks root out until its first boot is over (ForceCommand); each new connection is a new login. The
    // session's connection budget keeps the reconnects under ufw's SSH rate limit.
    private async Task WaitForRootLoginAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = (
                await Session.RunAsync("echo logged-in", new RemoteCommandSettings { AllowNonZeroExit = true, LogOutput = false })).StandardOutput.Trim();
            if (answer == "logged-in")
            {
                break;
            }

            Assert.True(answer == LockNotice, $"a root login on {Droplet.Name} printed '{answer}', neither the shell's answer nor the first-boot notice");
            Assert.True(attempt < 60,
                $"root logins on {Droplet.Name} still print the first-boot notice after {attempt} tries: the first boot never unlocked them");
            LockedLogins++;
            await Task.Delay(TimeSpan.FromSeconds(2));
            await Session.ReconnectAsync();
        }

        var status = (
            await Session.RunAsync("cloud-init status --wait --long",
            new RemoteCommandSettings { AllowNonZeroExit = true, LogOutput = false, Timeout = TimeSpan.FromMinutes(5) })).StandardOutput;
        Assert.True(status.Contains("status: done", StringComparison.Ordinal), $"cloud-init on {Droplet.Name} did not finish cleanly:\n{status}");
    }
}
