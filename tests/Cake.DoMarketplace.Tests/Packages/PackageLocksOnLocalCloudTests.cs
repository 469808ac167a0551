using System.Globalization;
using Cake.DoMarketplace.Api;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Droplets;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Packages;
using Cake.DoMarketplace.Ssh;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.Packages;

/// <summary>
/// A busy package manager on a real droplet (issue 18, item 3): a process in the droplet holds apt's locks the way apt
/// does (fcntl on dpkg's frontend and database locks, the lists lock, the archives lock), as unattended-upgrades does
/// after an Ubuntu droplet's first boot. The package steps wait, name it, and run once it lets go; held past a short
/// timeout, the step fails naming the setting, and a build leaves nothing behind.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PackageLocksOnLocalCloudTests(LocalCloudFixture cloud) : IClassFixture<LocalCloudFixture>
{
    private static readonly string[] AptLocks =
        ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock", "/var/cache/apt/archives/lock"];

    // Takes the given locks as apt takes them (fcntl, exclusive; waits if apt has one), says its pid, holds them.
    private const string Holder = """
        import fcntl, os, sys, time
        held = []
        for path in sys.argv[3:]:
            lock = open(path, "a")
            fcntl.lockf(lock, fcntl.LOCK_EX)
            held.append(lock)
        with open(sys.argv[2] + ".tmp", "w") as ready:
            ready.write(str(os.getpid()))
        os.rename(sys.argv[2] + ".tmp", sys.argv[2])
        time.sleep(float(sys.argv[1]))
        """;

    private int holds;

    [Fact]
    public async Task Install_and_update_wait_for_the_process_holding_apts_locks_name_it_and_then_run()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "apt-held");
        try
        {
            var pid = await HoldAsync(droplet.Session, TimeSpan.FromSeconds(20), AptLocks);
            context.DoInstallPackages(droplet, "less");

            AssertWaitedFor(log, "apt-held", pid, AptLocks);
            Assert.Equal("install ok installed", (await droplet.Session.RunAsync("dpkg-query -W -f='${Status}' less")).StandardOutput.Trim());
            Assert.Equal("gone", await HolderStateAsync(droplet.Session, pid));

            var second = new RecordingLog();
            var pid2 = await HoldAsync(droplet.Session, TimeSpan.FromSeconds(20), AptLocks);
            cloud.Context(second).DoUpdatePackages(droplet);

            AssertWaitedFor(second, "apt-held", pid2, AptLocks);
            Assert.Contains("[apt-held] apt: ", second.AllText);
            Assert.Equal("gone", await HolderStateAsync(droplet.Session, pid2));
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public async Task The_cleanup_and_the_validation_wait_for_the_process_holding_apts_locks()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "apt-clean");
        try
        {
            var pid = await HoldAsync(droplet.Session, TimeSpan.FromSeconds(15), AptLocks);
            var report = context.DoValidateImage(droplet, s => { s.FailOnError = false; s.ReportDirectory = null; });

            AssertWaitedFor(log, "apt-clean", pid, AptLocks);
            Assert.Contains("package index ok", report.Checks.Single(c => c.Id == 5).Message);

            var cleanup = new RecordingLog();
            var pid2 = await HoldAsync(droplet.Session, TimeSpan.FromSeconds(15), AptLocks);
            cloud.Context(cleanup).DoCleanupImage(droplet, s => s.FreeSpace = FreeSpaceHandling.Skip);

            AssertWaitedFor(cleanup, "apt-clean", pid2, AptLocks);
            // The script's own lines go to the log the droplet's session was opened with.
            Assert.Contains("[apt-clean] ==> packages (apt): ", log.AllText);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public async Task A_lock_taken_as_apt_starts_is_waited_for_again_from_apts_own_error()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "apt-race");
        try
        {
            // The lock is taken after the wait before the command looked (here: a wait that sees no lock file at all), so
            // apt-get itself meets it and fails; package_run reads apt's message, waits and reruns it.
            var pid = await HoldAsync(droplet.Session, TimeSpan.FromSeconds(6), "/var/lib/apt/lists/lock");
            var result = await droplet.Session.RunBashAsync(
                $"{PackageLocks.Helpers}\npackage_lock_files() {{ :; }}\npackage_locks_begin\npackage_run apt-get -qq -o APT::Color=0 update",
                PackageLocks.Variables(TimeSpan.FromMinutes(2), "PackageSettings.LockTimeout"),
                new RemoteCommandSettings { LogOutput = false });

            Assert.Contains($"E: Could not get lock /var/lib/apt/lists/lock. It is held by process {pid} (python3)", result.StandardError);
            Assert.Contains("another process took the package manager's locks as 'apt-get' started; waiting for them again", result.StandardError);
            Assert.Equal("gone", await HolderStateAsync(droplet.Session, pid));
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public async Task A_script_whose_wait_runs_out_fails_naming_the_holder_and_the_setting()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var droplet = context.DoCreateBuildDroplet(s => s.Name = "apt-script");
        try
        {
            var pid = await HoldAsync(droplet.Session, TimeSpan.FromMinutes(5), "/var/lib/apt/lists/lock");
            var budget = new PackageLockBudget(droplet.Session, log, TimeSpan.FromSeconds(3), ImageCleaner.PackageLockTimeoutSetting);

            // No wait before the script: the script's own wait (what cleanup.sh's package commands do) runs out.
            var error = await Assert.ThrowsAsync<WaitTimeoutException>(() =>
                budget.RunAsync("package_run apt-get -qq update", new Dictionary<string, string>(), new RemoteCommandSettings(), CancellationToken.None));

            Assert.Equal("CleanupSettings.PackageLockTimeout", error.Setting);
            Assert.Equal($"process {pid} (python3) holds /var/lib/apt/lists/lock", error.LastState);
            Assert.Contains($"[apt-script:err]     waiting for the package manager: process {pid} (python3) holds /var/lib/apt/lists/lock", log.AllText);
        }
        finally
        {
            context.DoDestroyDroplet(droplet);
        }
    }

    [Fact]
    public async Task A_build_whose_package_manager_stays_busy_fails_naming_the_setting_and_leaves_nothing()
    {
        var log = new RecordingLog();
        var context = cloud.Context(log);
        var paths = string.Join(' ', AptLocks);

        // As on an Ubuntu droplet's first boot: something cloud-init started holds apt's locks when the build begins.
        var userData = $"""
            #!/bin/sh
            cat > /root/hold-apt-locks.py <<'EOF'
            {Holder}
            EOF
            systemd-run --unit=cdm-apt-holder --collect --quiet python3 /root/hold-apt-locks.py 600 /run/apt-holder.pid {paths}
            while [ ! -s /run/apt-holder.pid ]; do sleep 0.1; done
            """;

        var error = Assert.Throws<WaitTimeoutException>(() => context.DoBuildImage(s =>
        {
            CheapBuild.Apply(s, "apt-busy-build");
            s.UpdatePackages = true;
            s.PackageManager.LockTimeout = TimeSpan.FromSeconds(3);
            s.Droplet.UserData = userData;
        }));

        Assert.Equal("PackageSettings.LockTimeout", error.Setting);
        Assert.Contains("waiting for the package manager on apt-busy-build to be free", error.Message);
        Assert.Matches(@"last state seen: process \d+ \(python3\) holds [^;]*/var/lib/dpkg/lock-frontend", error.Message);
        Assert.Contains("Raise PackageSettings.LockTimeout", error.Message);

        using var api = new DoApiClient(new DoApiOptions { Token = LocalCloudFixture.Token, BaseUrl = cloud.BaseUrl });
        Assert.Empty(await api.ListDropletsByTagAsync("cake-domarketplace"));
        Assert.DoesNotContain(await api.ListSshKeysAsync(), k => k.Name.StartsWith("cake-domarketplace-", StringComparison.Ordinal));
        Assert.Empty(await api.ListPrivateImagesAsync());
        Assert.Empty(cloud.Leftovers());
    }

    private static void AssertWaitedFor(RecordingLog log, string label, int pid, params string[] paths)
    {
        var text = log.AllText;
        var busy = text.Split('\n')
            .FirstOrDefault(l => l.Contains($"[{label}] the package manager is busy: process {pid} (python3) holds ", StringComparison.Ordinal));
        Assert.True(busy is not null, "no line naming the holder in:\n" + text);
        Assert.All(paths, path => Assert.Contains(path, busy));
        Assert.Contains("waiting for its locks (at most 10m00s in all, ", busy);
        Assert.Contains($"Waiting for the package manager on {label} to be free (another process holds its locks): ", text);
        Assert.Contains($"Done waiting for the package manager on {label} to be free (another process holds its locks) after ", text);
    }

    /// <summary>
    /// Starts a process in the droplet that holds <paramref name="paths"/> for <paramref name="time"/>; returns once it
    /// holds them, with its pid.
    /// </summary>
    private async Task<int> HoldAsync(IRemoteSession session, TimeSpan time, params string[] paths)
    {
        var unit = $"cdm-apt-holder-{++holds}";
        await session.WriteTextAsync("/root/hold-apt-locks.py", Holder, (UnixFileMode)Convert.ToInt32("600", 8));
        var ready = $"/run/{unit}.pid";
        var seconds = time.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var started = await session.RunAsync(
            $"systemd-run --unit={unit} --collect --quiet python3 /root/hold-apt-locks.py {seconds} {ready} {string.Join(' ', paths)} && " +
            $"for i in $(seq 300); do if [ -s {ready} ]; then cat {ready}; exit 0; fi; sleep 0.1; done; exit 1",
            new RemoteCommandSettings { LogOutput = false });
        return int.Parse(started.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> HolderStateAsync(IRemoteSession session, int pid) =>
        (await session.RunAsync($"if [ -d /proc/{pid} ]; then echo running; else echo gone; fi", new RemoteCommandSettings { LogOutput = false }))
            .StandardOutput.Trim();
}
