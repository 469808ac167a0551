using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Ssh;

/// <summary>
/// On a real sshd: a remote command never waits on input (its stdin is closed at once, as with <c>ssh -n</c>), a silent
/// one is reported in the log, and its timeout names the setting. The safety limit below only turns a hang into a
/// failure; nothing here asserts on time.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RemoteCommandInputTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    private static readonly RemoteCommandSettings Limited = new() { Timeout = TimeSpan.FromMinutes(2) };

    [Fact]
    public async Task A_command_that_reads_its_input_gets_end_of_file_at_once()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("web-1"), new RecordingLog());

        var read = await session.RunAsync("read x; echo \"got:$x status:$?\"", Limited);
        var cat = await session.RunAsync("cat; echo end", Limited);

        Assert.Equal("got: status:1\n", read.StandardOutput);
        Assert.Equal("end\n", cat.StandardOutput);
    }

    [Fact]
    public async Task A_bashrc_that_asks_a_question_neither_hangs_nor_gets_into_the_output()
    {
        // As the mariadb 1-Click's first-login script in root's .bashrc, which bash reads when sshd starts it for a
        // command; HOME points it at this test's own .bashrc (not the machine's).
        var home = Directory.CreateTempSubdirectory("cdm-home-").FullName;
        await File.WriteAllTextAsync(Path.Combine(home, ".bashrc"),
            "echo 'Enter the MariaDB root password:'\nread -r answer\necho \"bashrc read '$answer'\" >&2\n");
        try
        {
            using var asking = new SshdFixture([$"SetEnv HOME={home}"]);
            var log = new RecordingLog();
            using var session = await SshRemoteSession.ConnectAsync(asking.Options("web-1"), log);

            var result = await session.RunAsync("echo after-the-bashrc", Limited);

            Assert.Equal("after-the-bashrc\n", result.StandardOutput);
            Assert.Equal("bashrc read ''\n", result.StandardError);
            Assert.Contains("[web-1] (printed by the login before the command ran) Enter the MariaDB root password:", log.AllText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, true);
        }
    }

    [Fact]
    public async Task A_silent_command_is_reported_again_and_again_with_what_it_printed_last_until_it_speaks()
    {
        var gate = Path.Combine(sshd.WorkFolder, "gate-" + Guid.NewGuid().ToString("N"));
        var log = new RecordingLog();
        var notices = new List<string>();
        var twice = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        log.Written += text =>
        {
            if (text.Contains("its last output, with no line end, is 'Password: '", StringComparison.Ordinal))
            {
                lock (notices)
                {
                    notices.Add(text);
                    if (notices.Count == 2)
                    {
                        twice.TrySetResult();
                    }
                }
            }
        };
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("web-1"), log);

        var run = session.RunAsync(
            $"printf 'Password: '; while [ ! -e {ShellQuote.Quote(gate)} ]; do sleep 0.1; done; echo; echo done",
            new RemoteCommandSettings { NoOutputNotice = TimeSpan.FromMilliseconds(300), Timeout = TimeSpan.FromMinutes(2) });
        var first = await Task.WhenAny(twice.Task, run);

        Assert.True(first == twice.Task, "the command ended before two notices");
        Assert.All(notices, n => Assert.Matches(
            @"^\[web-1\] no output for \d+ s: 'printf 'Password: '; while \[ ! -e .+' may be waiting for input; "
            + @"its last output, with no line end, is 'Password: ' \(\d+\.\ds elapsed\)$", n));
        await File.WriteAllTextAsync(gate, string.Empty);
        var result = await run;
        Assert.Equal("Password: \ndone\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_command_past_its_timeout_fails_naming_the_setting_and_the_command()
    {
        using var session = await SshRemoteSession.ConnectAsync(sshd.Options("web-1"), new RecordingLog());

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(()
            => session.RunAsync("echo started; sleep 600", new RemoteCommandSettings { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal("RemoteCommandSettings.Timeout", error.Setting);
        Assert.StartsWith("Timed out after 1.0s waiting for remote command on web-1: 'echo started; sleep 600'; last state seen: ", error.Message);
        Assert.EndsWith("Raise RemoteCommandSettings.Timeout if this step is legitimately slow.", error.Message);
    }
}
