using System.Text;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

[Trait("Category", "Integration")]
public sealed class SshRemoteSessionTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task Streams_stdout_and_stderr_line_by_line_with_the_droplet_label()
    {
        var log = new RecordingLog();
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("web-1"), log);

        var result = await session.RunAsync("echo one; echo two >&2; printf 'three {0} {braces}\\n'");

        Assert.Equal(0, result.ExitStatus);
        Assert.Equal("one\nthree {0} {braces}\n", result.StandardOutput);
        Assert.Equal("two\n", result.StandardError);
        Assert.Contains("[web-1] one", log.AllText);
        Assert.Contains("[web-1:err] two", log.AllText);
        Assert.Contains("[web-1] three {0} {braces}", log.AllText);
    }

    [Fact]
    public async Task Routine_and_blank_lines_go_to_the_verbose_log_and_the_others_are_shown()
    {
        var log = new RecordingLog();
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("web-1"), log);
        var settings = new RemoteCommandSettings { IsRoutineOutput = line => line.StartsWith("Unpacking", StringComparison.Ordinal) };

        var result = await session.RunAsync(
            "echo 'Unpacking nginx (1.22.1-9) ...'; echo; echo 'E: broken' >&2; echo 'Unpacking on stderr' >&2; echo done", settings);

        Assert.Equal("Unpacking nginx (1.22.1-9) ...\n\ndone\n", result.StandardOutput);
        Assert.Equal(
            [
                (Cake.Core.Diagnostics.LogLevel.Verbose, "[web-1] Unpacking nginx (1.22.1-9) ..."),
                (Cake.Core.Diagnostics.LogLevel.Verbose, "[web-1] "),
                (Cake.Core.Diagnostics.LogLevel.Information, "[web-1] done"),
            ],
            log.Lines.Where(l => l.Text.StartsWith("[web-1] ", StringComparison.Ordinal) && !l.Text.StartsWith("[web-1] host key", StringComparison.Ordinal)));
        Assert.Equal(
            [(Cake.Core.Diagnostics.LogLevel.Information, "[web-1:err] E: broken"),
                (Cake.Core.Diagnostics.LogLevel.Verbose, "[web-1:err] Unpacking on stderr")],
            log.Lines.Where(l => l.Text.StartsWith("[web-1:err] ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Lines_reach_the_log_while_the_command_still_runs()
    {
        // No clock: the command cannot end before the gate file exists, and the test makes the gate only once the
        // first line has reached the log. Without streaming the run would never end (the safety limit below fails it).
        var gate = Path.Combine(sshd.WorkFolder, "gate-" + Guid.NewGuid().ToString("N"));
        var firstLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new RecordingLog();
        log.Written += text =>
        {
            if (text.EndsWith("] first", StringComparison.Ordinal))
            {
                firstLine.TrySetResult();
            }
        };
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), log);

        var run = session.RunAsync($"echo first; while [ ! -e {ShellQuote.Quote(gate)} ]; do sleep 0.1; done; echo second");
        var first = await Task.WhenAny(firstLine.Task, run, Task.Delay(TimeSpan.FromMinutes(2)));

        Assert.True(first == firstLine.Task, run.IsCompleted ? "the command ended before its first line was logged" : "the first line never reached the log");
        Assert.False(run.IsCompleted, "the command cannot end before the gate exists");
        Assert.DoesNotContain("] second", log.AllText, StringComparison.Ordinal);
        await File.WriteAllTextAsync(gate, string.Empty);
        var result = await run.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("first\nsecond\n", result.StandardOutput);
        Assert.Contains("] second", log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_zero_exit_fails_unless_allowed()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());

        var failure = await Assert.ThrowsAsync<RemoteCommandException>(() => session.RunAsync("echo broken >&2; exit 3"));
        Assert.Equal(3, failure.Result.ExitStatus);
        Assert.Contains("status 3", failure.Message);
        Assert.Contains("broken", failure.Message);

        var allowed = await session.RunAsync("exit 4", new RemoteCommandSettings { AllowNonZeroExit = true });
        Assert.Equal(4, allowed.ExitStatus);
    }

    [Fact]
    public async Task One_connection_serves_many_commands()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());
        var quiet = new RemoteCommandSettings { LogOutput = false };

        // SSH_CONNECTION holds the client's source port: the same value means the same TCP connection.
        var first = await session.RunAsync("echo $SSH_CONNECTION", quiet);
        var second = await session.RunAsync("echo $SSH_CONNECTION", quiet);
        await session.UploadAsync(new MemoryStream([1, 2, 3]), Path.Combine(sshd.WorkFolder, "bytes.bin"), (UnixFileMode)Convert.ToInt32("644", 8));
        var third = await session.RunAsync("echo $SSH_CONNECTION", quiet);

        Assert.Matches(@"^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$", first.StandardOutput);
        Assert.Equal(first.StandardOutput, second.StandardOutput);
        Assert.Equal(first.StandardOutput, third.StandardOutput);
    }

    [Fact]
    public async Task Uploads_a_file_with_its_mode_and_a_tree_keeping_modes()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options(), new RecordingLog());
        var target = Path.Combine(sshd.WorkFolder, "single", "hello.sh");
        await session.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\necho hi\n")), target, (UnixFileMode)Convert.ToInt32("755", 8));

        Assert.Equal("#!/bin/sh\necho hi\n", File.ReadAllText(target));
        Assert.Equal((UnixFileMode)Convert.ToInt32("755", 8), File.GetUnixFileMode(target));

        var local = Directory.CreateTempSubdirectory("cdm-tree-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(local, "etc", "app"));
            File.WriteAllText(Path.Combine(local, "etc", "app", "config.ini"), "a=1\n");
            File.WriteAllText(Path.Combine(local, "run.sh"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(local, "run.sh"), (UnixFileMode)Convert.ToInt32("750", 8));
            File.SetUnixFileMode(Path.Combine(local, "etc", "app", "config.ini"), (UnixFileMode)Convert.ToInt32("600", 8));

            var remote = Path.Combine(sshd.WorkFolder, "tree with space");
            var summary = await session.UploadDirectoryAsync(local, remote);

            Assert.Equal(2, summary.Files);
            Assert.Equal("a=1\n", File.ReadAllText(Path.Combine(remote, "etc", "app", "config.ini")));
            Assert.Equal((UnixFileMode)Convert.ToInt32("750", 8), File.GetUnixFileMode(Path.Combine(remote, "run.sh")));
            Assert.Equal((UnixFileMode)Convert.ToInt32("600", 8), File.GetUnixFileMode(Path.Combine(remote, "etc", "app", "config.ini")));
        }
        finally
        {
            Directory.Delete(local, true);
        }
    }

    [Fact]
    public async Task Refuses_a_host_key_other_than_the_pinned_one()
    {
        var options = sshd.Options();
        options.HostKeys = HostKeyPolicy.Pinned(SshKeyPair.Generate("impostor").PublicKeyBlob);

        var error = await Assert.ThrowsAsync<HostKeyMismatchException>(() => SshRemoteSession.ConnectAsync(options, new RecordingLog()));
        Assert.Contains(sshd.HostKey.FingerprintSha256, error.Message);
    }

    [Fact]
    public async Task Connect_retries_until_the_timeout_and_says_what_it_waited_for()
    {
        var options = sshd.Options("nobody-home");
        options.Port = 1; // nothing listens there
        options.ConnectTimeout = TimeSpan.FromSeconds(1.5);

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => SshRemoteSession.ConnectAsync(options, new RecordingLog()));
        Assert.Contains("127.0.0.1:1", error.Message);
        Assert.Contains("SocketException", error.Message);
    }
}
