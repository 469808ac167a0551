using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// On a real sshd locked as DigitalOcean's marketplace-partners sample locks root until its first-boot script is done:
/// <c>Match User</c> + <c>ForceCommand echo "Please wait…"</c>. The session waits (a new connection each time: sshd
/// applies ForceCommand per connection), says so with what came back, and then runs commands; never-clearing ends in a
/// timeout quoting the answer, with no connection left open; and a command the login did not run is never its output.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NotReadyLoginTests
{
    private const string PleaseWait = "Please wait while we get your droplet ready...";

    private static readonly string[] Locked = [$"Match User {SshdFixture.User}", $"  ForceCommand echo \"{PleaseWait}\""];

    [Fact]
    public async Task A_login_answered_please_wait_is_waited_for_with_a_progress_line_and_then_runs_commands()
    {
        using var sshd = new SshdFixture(Locked);
        var log = new RecordingLog();
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        log.Written += text =>
        {
            if (text.Contains("instead of running the command", StringComparison.Ordinal))
            {
                refused.TrySetResult(text);
            }
        };
        var options = sshd.Options("droplet-1");
        options.ConnectTimeout = TimeSpan.FromMinutes(2);

        var connecting = SshRemoteSession.ConnectAsync(options, log);
        var first = await Task.WhenAny(refused.Task, connecting);

        Assert.True(first == refused.Task, connecting.IsCompletedSuccessfully ? "connected although every login was answered 'please wait'"
            : connecting.Exception?.ToString());
        Assert.StartsWith(
            $"[droplet-1] the login answered '{PleaseWait}' (exit status 0) instead of running the command: sshd runs a ForceCommand for {SshdFixture.User}",
            await refused.Task);
        Assert.EndsWith("reconnecting until a login runs commands (up to 2m00s, SshConnectOptions.ConnectTimeout)", await refused.Task);

        sshd.Reload([]); // what the first-boot script does: the Match block removed, sshd restarted
        using var session = await connecting;
        var result = await session.RunAsync("echo ready; id -un", new RemoteCommandSettings { LogOutput = false });

        Assert.Equal($"ready\n{SshdFixture.User}\n", result.StandardOutput);
        Assert.Equal(1, log.Lines.Count(l => l.Text.Contains("instead of running the command", StringComparison.Ordinal))); // said once, not per attempt
    }

    [Fact]
    public async Task A_login_that_never_runs_commands_times_out_quoting_its_answer_and_leaves_no_connection_open()
    {
        using var sshd = new SshdFixture(Locked);
        var options = sshd.Options("droplet-2");
        options.ConnectTimeout = TimeSpan.FromSeconds(4);

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => SshRemoteSession.ConnectAsync(options, new RecordingLog()));

        Assert.Equal("SshConnectOptions.ConnectTimeout", error.Setting);
        Assert.Contains($"last state seen: the login answered '{PleaseWait}' (exit status 0) instead of running the command.", error.Message);
        Assert.Empty(await EstablishedAsync(sshd.Port));
    }

    [Fact]
    public async Task A_command_the_login_did_not_run_fails_with_the_answer_and_is_never_its_output()
    {
        // The lock comes on after the session was made: the next command's channel gets the answer instead.
        var folder = Directory.CreateTempSubdirectory("cdm-forced-").FullName;
        var flag = Path.Combine(folder, "locked");
        var forced = Path.Combine(folder, "forced.sh");
        await File.WriteAllTextAsync(forced,
            $"#!/bin/sh\nif [ -e '{flag}' ]; then echo '{PleaseWait}'; exit 0; fi\nexec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
        File.SetUnixFileMode(forced, (UnixFileMode)Convert.ToInt32("755", 8));
        try
        {
            using var sshd = new SshdFixture([$"Match User {SshdFixture.User}", $"  ForceCommand {forced}"]);
            var log = new RecordingLog();
            using var session = await SshRemoteSession.ConnectAsync(sshd.Options("web-1"), log);
            Assert.Equal("before\n", (await session.RunAsync("echo before")).StandardOutput);
            await File.WriteAllTextAsync(flag, string.Empty);

            var error = await Assert.ThrowsAsync<RemoteCommandNotRunException>(() => session.RunAsync("cat /etc/hostname"));

            Assert.Equal($"'{PleaseWait}' (exit status 0)", error.Answer);
            Assert.StartsWith($"The SSH login on web-1 did not run the command 'cat /etc/hostname': the shell did not print the marker", error.Message);
            Assert.DoesNotContain($"[web-1] {PleaseWait}", log.AllText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    /// <summary>TCP connections to <paramref name="port"/> still established, once the ones closing have had time to close.</summary>
    private static async Task<string> EstablishedAsync(int port)
    {
        var output = string.Empty;
        for (var i = 0; i < 50; i++)
        {
            output = (
                await ProcessRunner.RunAsync("ss", ["-Htn", "state", "established", $"( dport = :{port} )"], "/", TimeSpan.FromSeconds(30))).Output.Trim();
            if (output.Length == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        return output;
    }
}
