using System.Diagnostics;
using System.Globalization;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Tests.Packages;

/// <summary>
/// The shell helpers of package-locks.sh, run by this machine's bash (no droplet, no root): who holds a lock, read from
/// the kernel's lock table and the holders' descriptors (locks this test process takes as apt does); what counts as a lock
/// failure; package_run's wait, rerun and timeout. The lock files are temporary files of this test (package_lock_files is redefined), never apt's own.
/// </summary>
public sealed class PackageLockShellTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("cdm-locks-").FullName;

    public void Dispose() => Directory.Delete(work, true);

    private string LockFile(string name)
    {
        var path = Path.Combine(work, name);
        File.WriteAllText(path, string.Empty);
        return path;
    }

    /// <summary>The helpers, then package_lock_files naming <paramref name="lockFiles"/> and no pid files, then <paramref name="script"/>.</summary>
    private static string WithHelpers(string script, params string[] lockFiles) =>
        $"{PackageLocks.Helpers}\npackage_lock_files() {{ printf '%s\\n' {string.Join(' ', lockFiles.Select(f => $"'{f}'"))}; }}\npackage_pid_files() {{ :; "
            + $"}}\n{script}";

    [Fact]
    public void A_fcntl_lock_held_by_a_process_is_found_with_its_pid_and_command_name()
    {
        var held = LockFile("lock-frontend");
        var free = LockFile("lists-lock");
        using var stream = new FileStream(held, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Lock(0, 0); // fcntl(F_SETLK) on Linux, as apt takes its locks

        var (status, stdout, _) = Bash(WithHelpers("package_lock_holders && echo 'package locks checked'", held, free, Path.Combine(work, "missing")));

        Assert.Equal(0, status);
        var holders = PackageLocks.ParseHolders(stdout);
        var holder = Assert.Single(holders);
        Assert.Equal(Environment.ProcessId, holder.Pid);
        Assert.Equal(File.ReadAllText($"/proc/{Environment.ProcessId}/comm").Trim(), holder.Command);
        Assert.Equal(held, holder.Path);
    }

    [Fact]
    public void Free_locks_print_nothing_but_the_probe_s_last_line()
    {
        var (status, stdout, _) = Bash(WithHelpers("package_lock_holders && echo 'package locks checked'", LockFile("lock")));

        Assert.Equal(0, status);
        Assert.Empty(PackageLocks.ParseHolders(stdout));
    }

    [Fact]
    public void A_process_holds_a_lock_file_only_through_a_descriptor_that_carries_an_fcntl_lock()
    {
        // .NET takes a shared flock(2) on each file it opens: that lock never stops apt, so the open file is not held.
        var locked = LockFile("lock");
        var open = LockFile("lock-frontend");
        using var opened = new FileStream(open, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        using var holding = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        holding.Lock(0, 0);

        var (status, stdout, _) = Bash(WithHelpers("package_lock_holders && echo 'package locks checked'", open, locked));

        Assert.Equal(0, status);
        Assert.Equal([locked], PackageLocks.ParseHolders(stdout).Select(h => h.Path));
    }

    [Fact]
    public void A_process_the_lock_table_lists_as_waiting_or_without_a_pid_holds_nothing()
    {
        var locked = LockFile("lock");
        using var holding = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        holding.Lock(0, 0);
        var pid = Environment.ProcessId;
        File.WriteAllText(Path.Combine(work, "table"), string.Join('\n',
            $"1: -> POSIX  ADVISORY  WRITE {pid} fe:00:12345 0 EOF", // waits for a lock: not a holder
            "2: OFDLCK ADVISORY  WRITE -1 fe:00:12345 0 EOF") + "\n"); // an open file description lock: no pid to look at
        var script = WithHelpers($"package_lock_table() {{ cat '{work}/table'; }}\npackage_lock_holders && echo 'package locks checked'", locked);

        var (status, stdout, _) = Bash(script);

        Assert.Equal(0, status);
        Assert.Empty(PackageLocks.ParseHolders(stdout));
    }

    [Fact]
    public void An_unreadable_lock_table_fails_the_probe_instead_of_reading_as_free()
    {
        var script = WithHelpers("package_lock_table() { cat /nonexistent/locks; }\npackage_lock_holders && echo 'package locks checked'", LockFile("lock"));

        var (status, stdout, stderr) = Bash(script);

        Assert.Equal(3, status);
        Assert.Contains("cannot read the kernel's lock table", stderr);
        Assert.Throws<FormatException>(() => PackageLocks.ParseHolders(stdout));
    }

    [Fact]
    public void A_live_pid_in_a_pid_file_holds_the_lock_and_a_dead_one_does_not()
    {
        var live = Path.Combine(work, "metadata_lock.pid");
        var stale = Path.Combine(work, "yum.pid");
        File.WriteAllText(live, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(stale, "4194303\n");
        var script = $"{PackageLocks.Helpers}\npackage_lock_files() {{ :; }}\npackage_pid_files() {{ printf '%s\\n' '{live}' '{stale}'; }}\n" +
                     "package_lock_holders && echo 'package locks checked'";

        var (status, stdout, _) = Bash(script);

        Assert.Equal(0, status);
        var holder = Assert.Single(PackageLocks.ParseHolders(stdout));
        Assert.Equal((Environment.ProcessId, live), (holder.Pid, holder.Path));
    }

    [Fact]
    public void The_shell_and_the_addin_describe_the_holders_in_the_same_words()
    {
        var lines = "812\tunattended-upgr\t/var/lib/dpkg/lock-frontend\n812\tunattended-upgr\t/var/lib/dpkg/lock\n90\tapt-get\t/var/lib/apt/lists/lock\n";

        var escaped = lines.Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        var (_, shell, _) = Bash($"{PackageLocks.Helpers}\nprintf '{escaped}' | package_lock_state");

        var described = PackageLocks.Describe(PackageLocks.ParseHolders(lines + "package locks checked\n"));
        Assert.Equal(
            "process 812 (unattended-upgr) holds /var/lib/dpkg/lock-frontend, /var/lib/dpkg/lock; process 90 (apt-get) holds /var/lib/apt/lists/lock",
            described);
        Assert.Equal(described, shell);
    }

    [Theory]
    [InlineData("E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (unattended-upgr)", true)]
    [InlineData("E: Could not get lock /var/lib/apt/lists/lock. It is held by process 77 (python3)", true)]
    [InlineData("E: Could not get lock /var/lib/dpkg/lock - open (11: Resource temporarily unavailable)", true)]
    [InlineData("E: Unable to lock directory /var/lib/apt/lists/", true)]
    [InlineData("E: Unable to lock the administration directory (/var/lib/dpkg/), is another process using it?", true)]
    [InlineData("E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?", true)]
    [InlineData("dpkg: error: dpkg frontend lock was locked by another process with pid 1234", true)]
    [InlineData("dpkg: error: dpkg status database is locked by another process", true)]
    [InlineData("E: Unable to locate package nginxx", false)]
    [InlineData("E: Failed to fetch http://deb.debian.org/debian/pool/main/n/nginx.deb  404  Not Found", false)]
    [InlineData("Setting up libgpg-error0:amd64 (1.46-1) ...", false)]
    [InlineData("W: Could not get lock is a phrase a warning may quote", false)]
    public void A_lock_failure_is_told_from_other_failures(string line, bool isLockFailure)
    {
        File.WriteAllText(Path.Combine(work, "stderr"), "Reading package lists...\n" + line + "\n");

        var (status, _, _) = Bash($"{PackageLocks.Helpers}\npackage_lock_error < '{work}/stderr'");

        Assert.Equal(isLockFailure ? 0 : 1, status);
    }

    [Fact]
    public void Package_run_reruns_a_command_that_lost_the_locks_and_not_one_that_failed_otherwise()
    {
        var lockFile = LockFile("lock");
        // Fails twice as apt does when another process took the lock as it started, then succeeds.
        var racing = $"n=$(cat '{work}/runs' 2>/dev/null || echo 0); echo $((n + 1)) > '{work}/runs'; " +
                     "if [ \"$n\" -lt 2 ]; then echo 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 5 (apt-get)' >&2; exit 100; "
                         + "fi; echo installed";
        var (status, stdout, stderr) = Bash(WithHelpers($"PACKAGE_LOCK_TIMEOUT=60 package_run bash -c {Quote(racing)}", lockFile));

        Assert.Equal(0, status);
        Assert.Equal("installed", stdout.Trim());
        Assert.Equal("3", File.ReadAllText(Path.Combine(work, "runs")).Trim());
        Assert.Equal(2,
            stderr.Split('\n').Count(l => l.Contains("another process took the package manager's locks as 'bash' started", StringComparison.Ordinal)));

        var otherFailure = $"echo run >> '{work}/other'; echo 'E: Unable to locate package nginxx' >&2; exit 100";
        var (failed, _, failure) = Bash(WithHelpers($"PACKAGE_LOCK_TIMEOUT=60 package_run bash -c {Quote(otherFailure)}", lockFile));

        Assert.Equal(100, failed);
        Assert.Single(File.ReadAllLines(Path.Combine(work, "other")));
        Assert.Contains("E: Unable to locate package nginxx", failure);
        Assert.DoesNotContain("waiting", failure);
    }

    [Fact]
    public void Package_run_waits_while_the_lock_is_held_and_runs_once_it_is_free()
    {
        var lockFile = LockFile("lock");
        var stream = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Lock(0, 0);
        using var bash = Start(WithHelpers("PACKAGE_LOCK_TIMEOUT=60 PACKAGE_LOCK_SETTING=PackageSettings.LockTimeout package_run echo ran", lockFile));

        // The command has not run while the lock is held: bash says who holds it and waits.
        var waiting = bash.StandardError.ReadLine();
        Assert.StartsWith($"    waiting for the package manager: process {Environment.ProcessId} (", waiting);
        Assert.Contains($") holds {lockFile}; ", waiting);
        Assert.EndsWith("s so far (PackageSettings.LockTimeout 60s)", waiting);
        stream.Dispose();

        Assert.Equal("ran", bash.StandardOutput.ReadToEnd().Trim());
        bash.WaitForExit();
        Assert.Equal(0, bash.ExitCode);
        Assert.StartsWith("    the package manager is free after ", bash.StandardError.ReadToEnd());
    }

    [Fact]
    public void Package_run_gives_up_with_its_own_status_naming_the_holder_and_the_setting()
    {
        var lockFile = LockFile("lock");
        using var stream = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Lock(0, 0);

        var (status, stdout, stderr) = Bash(
            WithHelpers("PACKAGE_LOCK_TIMEOUT=1 PACKAGE_LOCK_SETTING=CleanupSettings.PackageLockTimeout package_run echo ran", lockFile));

        Assert.Equal(PackageLocks.TimeoutStatus, status);
        Assert.Empty(stdout);
        var state = PackageLocks.StateAtTimeout(stderr);
        Assert.NotNull(state);
        Assert.Matches($@"^process {Environment.ProcessId} \(.+\) holds {lockFile}$", state);
        Assert.Contains("Waited 1s in all; raise CleanupSettings.PackageLockTimeout to wait longer.", stderr);
    }

    private static string Quote(string text) => ShellQuote.Quote(text);

    private static Process Start(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        return Process.Start(start)!;
    }

    private static (int Status, string Stdout, string Stderr) Bash(string script)
    {
        using var bash = Start(script);
        var stderr = bash.StandardError.ReadToEndAsync();
        var stdout = bash.StandardOutput.ReadToEnd();
        bash.WaitForExit();
        return (bash.ExitCode, stdout, stderr.Result);
    }
}
