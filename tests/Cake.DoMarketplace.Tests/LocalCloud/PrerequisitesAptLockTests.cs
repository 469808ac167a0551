using System.Diagnostics;
using Cake.DoMarketplace.LocalCloud.Machines;
using Microsoft.Extensions.Logging;

namespace Cake.DoMarketplace.Tests.LocalCloud;

/// <summary>
/// The local cloud's prerequisite install while another process holds apt's locks: apt-get is run again until they are
/// free, saying which process holds them; past the limit, or on any other failure, one clear message. A stand-in for
/// apt-get (a script printing apt's own messages) runs here: the host's real apt and its locks are left alone.
/// </summary>
public sealed class PrerequisitesAptLockTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-prereq-").FullName;
    private readonly RecordingLogger log = new();

    public void Dispose() => Directory.Delete(work, true);

    [Theory]
    [InlineData("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (unattended-upgr)",
        "process 1234 (unattended-upgr) holds /var/lib/dpkg/lock-frontend")]
    [InlineData(
        "Reading package lists...\nE: Could not get lock /var/lib/apt/lists/lock. It is held by process 77 (apt-get)\nE: Unable to lock directory "
        + "/var/lib/apt/lists/",
        "process 77 (apt-get) holds /var/lib/apt/lists/lock")]
    [InlineData("E: Could not get lock /var/lib/dpkg/lock - open (11: Resource temporarily unavailable)", "another process holds /var/lib/dpkg/lock")]
    [InlineData("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?",
        "another process holds /var/lib/dpkg/lock-frontend")]
    [InlineData("dpkg: error: dpkg frontend lock was locked by another process with pid 9", "another process holds apt's lock")]
    [InlineData("E: Unable to locate package nftabless", null)]
    [InlineData("W: Could not get lock, says a warning", null)]
    public void Apts_lock_failure_names_the_holder_and_other_failures_are_not_one(string output, string? holder) =>
        Assert.Equal(holder, Prerequisites.AptLockHolder("apt-get install -y -qq x failed with exit code 100:\n" + output));

    [Fact]
    public async Task A_busy_apt_is_waited_for_saying_who_holds_its_locks_then_apt_get_runs()
    {
        var aptGet = FakeAptGet(lockedRuns: 2);

        await Prerequisites.AptGetAsync(log, ["install", "-y", "nftables"], Stopwatch.StartNew(), TimeSpan.FromMinutes(10), CancellationToken.None, aptGet);

        Assert.Equal("3", File.ReadAllText(Path.Combine(work, "runs")).Trim());
        var busy = Assert.Single(log.Lines, l => l.Contains("apt is busy", StringComparison.Ordinal));
        Assert.StartsWith($"{aptGet} install: apt is busy, process 4242 (unattended-upgr) holds /var/lib/dpkg/lock-frontend; waiting for it (", busy);
        Assert.EndsWith(" s so far, at most 600 s)", busy);
        Assert.Contains(log.Lines, l => l.StartsWith($"{aptGet} install: apt's locks were free after ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apt_busy_past_the_limit_is_one_clear_message()
    {
        var aptGet = FakeAptGet(lockedRuns: int.MaxValue);

        var error = await Assert.ThrowsAsync<Prerequisites.UnmetException>(() =>
            Prerequisites.AptGetAsync(log, ["update", "-qq"], Stopwatch.StartNew(), TimeSpan.FromSeconds(1), CancellationToken.None, aptGet));

        Assert.Equal(
            $"{aptGet} update could not start: another process kept apt's locks for 1 s (process 4242 (unattended-upgr) holds /var/lib/dpkg/lock-frontend). " +
            "Let it finish, or stop it (on Ubuntu: unattended-upgrades), and run again.",
            error.Message);
    }

    [Fact]
    public async Task Any_other_apt_failure_is_not_run_again_and_says_what_apt_said()
    {
        var aptGet = Path.Combine(work, "apt-get");
        File.WriteAllText(aptGet, $"#!/bin/sh\necho run >> '{work}/runs'\necho 'E: Unable to locate package nftabless' >&2\nexit 100\n");
        File.SetUnixFileMode(aptGet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var error = await Assert.ThrowsAsync<Prerequisites.UnmetException>(() =>
            Prerequisites.AptGetAsync(log, ["install", "nftabless"], Stopwatch.StartNew(), TimeSpan.FromMinutes(10), CancellationToken.None, aptGet));

        Assert.Single(File.ReadAllLines(Path.Combine(work, "runs")));
        Assert.StartsWith("The local cloud could not install what it needs: ", error.Message);
        Assert.Contains("E: Unable to locate package nftabless", error.Message);
    }

    /// <summary>An apt-get that fails as apt does while unattended-upgrades holds its locks, <paramref name="lockedRuns"/> times, then succeeds.</summary>
    private string FakeAptGet(int lockedRuns)
    {
        var path = Path.Combine(work, "apt-get");
        File.WriteAllText(path, $"""
            #!/bin/sh
            n=$(cat '{work}/runs' 2>/dev/null || echo 0)
            echo $((n + 1)) > '{work}/runs'
            if [ "$n" -lt {lockedRuns} ]; then
              echo 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)' >&2
              echo 'N: Be aware that removing the lock file is not a solution and may break your system.' >&2
              echo 'E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?' >&2
              exit 100
            fi
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return [.. lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }
}
