using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;
using NSubstitute;

namespace Cake.DoMarketplace.Tests.Packages;

/// <summary>
/// The addin's side of a busy package manager, against a scripted session: the wait before a step says who holds the
/// locks and ends when they are free; a wait that runs out, here or in the step's script, is a timeout naming the holder
/// and the setting; other failures keep their own error; an unreadable probe stops the step.
/// </summary>
public sealed class PackageLockBudgetTests
{
    private const string Probe = "package_lock_holders && echo";
    private const string Held = "812\tunattended-upgr\t/var/lib/dpkg/lock-frontend\n812\tunattended-upgr\t/var/lib/dpkg/lock\n";
    private const string Holder = "process 812 (unattended-upgr) holds /var/lib/dpkg/lock-frontend, /var/lib/dpkg/lock";

    private readonly IRemoteSession session = Substitute.For<IRemoteSession>();
    private readonly RecordingLog log = new();
    private readonly List<string> commands = [];

    public PackageLockBudgetTests() => session.Label.Returns("pkg");

    /// <summary>
    /// The probe answers from <paramref name="probeAnswers"/> in turn (the last one from then on); other commands from
    /// <paramref name="run"/>.
    /// </summary>
    private void Answer(string[] probeAnswers, Func<string, RemoteCommandResult>? run = null)
    {
        var probes = 0;
        session.RunAsync(Arg.Any<string>(), Arg.Any<RemoteCommandSettings?>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var command = call.ArgAt<string>(0);
            commands.Add(command);
            if (command.Contains(Probe, StringComparison.Ordinal))
            {
                var answer = probeAnswers[Math.Min(probes++, probeAnswers.Length - 1)];
                return new RemoteCommandResult(command, 0, answer, string.Empty, TimeSpan.Zero);
            }

            var result = run?.Invoke(command) ?? new RemoteCommandResult(command, 0, "done\n", string.Empty, TimeSpan.Zero);
            return result.Succeeded ? result : throw new RemoteCommandException("pkg", result);
        });
    }

    private PackageLockBudget Budget(TimeSpan timeout) => new(session, log, timeout, "PackageSettings.LockTimeout");

    [Fact]
    public async Task Free_locks_cost_one_probe_and_say_nothing()
    {
        Answer(["package locks checked\n"]);

        await Budget(TimeSpan.FromMinutes(10)).WaitAsync(CancellationToken.None);

        Assert.Single(commands);
        Assert.DoesNotContain("busy", log.AllText);
    }

    [Fact]
    public async Task A_held_lock_is_awaited_saying_who_holds_it_until_it_is_free()
    {
        Answer([Held + "package locks checked\n", Held + "package locks checked\n", "package locks checked\n"]);

        await Budget(TimeSpan.FromMinutes(10)).WaitAsync(CancellationToken.None);

        Assert.Equal(3, commands.Count);
        Assert.Contains(
            $"[pkg] the package manager is busy: {Holder}; waiting for its locks (at most 10m00s in all, PackageSettings.LockTimeout)", log.AllText);
        Assert.Contains("Done waiting for the package manager on pkg to be free (another process holds its locks) after ", log.AllText);
    }

    [Fact]
    public async Task A_lock_held_past_the_timeout_is_a_timeout_naming_the_holder_and_the_setting()
    {
        Answer([Held + "package locks checked\n"]);

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(() => Budget(TimeSpan.FromSeconds(1)).WaitAsync(CancellationToken.None));

        Assert.Equal("PackageSettings.LockTimeout", error.Setting);
        Assert.Equal(Holder, error.LastState);
        Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
        Assert.StartsWith("Timed out after 1.0s waiting for the package manager on pkg to be free (another process holds its locks); " +
                          $"last state seen: {Holder}. Raise PackageSettings.LockTimeout", error.Message);
    }

    [Fact]
    public async Task The_run_gets_the_helpers_and_what_is_left_of_the_wait_and_shows_its_own_command()
    {
        Answer(["package locks checked\n"]);
        var budget = Budget(TimeSpan.FromMinutes(5));

        var variables = new Dictionary<string, string> { ["PKG"] = "apt" };
        var result = await budget.RunAsync(
            "package_run apt-get -y install nginx", variables, new RemoteCommandSettings(), CancellationToken.None, shownCommand: "apt-get -y install nginx");

        Assert.Equal("apt-get -y install nginx", result.Command);
        var sent = Assert.Single(commands);
        Assert.Matches(
            "^env PKG='apt' PACKAGE_LOCK_TIMEOUT='[0-9]+' PACKAGE_LOCK_SETTING='PackageSettings.LockTimeout' bash -c '# Cake.DoMarketplace package manager "
                + "locks",
            sent);
        Assert.Contains("\npackage_locks_begin\npackage_run apt-get -y install nginx' cake-domarketplace", sent);
    }

    [Fact]
    public async Task A_script_whose_own_wait_ran_out_is_a_timeout_with_the_holder_it_saw()
    {
        Answer(["package locks checked\n"], command => new RemoteCommandResult(command, PackageLocks.TimeoutStatus, string.Empty,
            "    waiting for the package manager: process 90 (apt-get) holds /var/lib/apt/lists/lock; 0s so far (CleanupSettings.PackageLockTimeout 600s)\n" +
            "    the package manager stayed busy: process 90 (apt-get) holds /var/lib/apt/lists/lock. Waited 600s in all; " +
            "raise CleanupSettings.PackageLockTimeout to wait longer.\n",
            TimeSpan.Zero));
        var budget = new PackageLockBudget(session, log, TimeSpan.FromMinutes(10), "CleanupSettings.PackageLockTimeout");

        var error = await Assert.ThrowsAsync<WaitTimeoutException>(
            () => budget.RunAsync("cleanup", new Dictionary<string, string>(), new RemoteCommandSettings(), CancellationToken.None));

        Assert.Equal("CleanupSettings.PackageLockTimeout", error.Setting);
        Assert.Equal("process 90 (apt-get) holds /var/lib/apt/lists/lock", error.LastState);
        Assert.IsType<RemoteCommandException>(error.InnerException);
    }

    [Fact]
    public async Task Any_other_failure_stays_the_command_s_failure_with_the_command_as_written()
    {
        Answer(["package locks checked\n"], command
            => new RemoteCommandResult(command, 100, string.Empty, "E: Unable to locate package nginxx\n", TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<RemoteCommandException>(() => Budget(TimeSpan.FromMinutes(10)).RunAsync(
            "package_run apt-get install nginxx",
            new Dictionary<string, string>(),
            new RemoteCommandSettings(),
            CancellationToken.None,
            shownCommand: "apt-get install nginxx"));

        Assert.StartsWith("Remote command on pkg exited with status 100: apt-get install nginxx", error.Message);
        Assert.Contains("E: Unable to locate package nginxx", error.Message);
    }

    [Fact]
    public async Task A_probe_answer_that_cannot_be_read_stops_the_step_instead_of_reading_as_free()
    {
        Answer([string.Empty]);

        var error = await Assert.ThrowsAsync<PackageLockProbeException>(() => Budget(TimeSpan.FromMinutes(10)).WaitAsync(CancellationToken.None));

        Assert.StartsWith("Could not tell whether the package manager on pkg is busy: The package lock probe did not finish", error.Message);
    }

    [Fact]
    public void A_probe_line_that_is_not_a_holder_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => PackageLocks.ParseHolders("812 unattended-upgr /var/lib/dpkg/lock\npackage locks checked\n"));

        Assert.Contains("'812 unattended-upgr /var/lib/dpkg/lock'", error.Message);
    }

    [Theory]
    [InlineData("    waiting for the package manager: process 90 (apt-get) holds /var/lib/apt/lists/lock; 12s so far (PackageSettings.LockTimeout 600s)")]
    [InlineData("    the package manager is free after 31s")]
    [InlineData("    another process took the package manager's locks as 'apt-get' started; waiting for them again")]
    [InlineData(
        "    the package manager stayed busy: process 90 (apt-get) holds /var/lib/apt/lists/lock. Waited 600s in all; raise PackageSettings.LockTimeout to "
        + "wait longer.")]
    public void The_lines_of_a_wait_are_shown_not_kept_in_the_verbose_log(string line)
    {
        Assert.False(PackageOutput.IsRoutine(line));
    }
}
