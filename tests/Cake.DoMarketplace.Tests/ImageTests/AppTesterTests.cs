using System.Net;
using System.Net.Sockets;
using System.Text;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>
/// One boot's app checks end to end: the droplet's side answered by a scripted session, the outside probed for real on
/// 127.0.0.1 (the "droplet address" here).
/// </summary>
public sealed class AppTesterTests : IDisposable
{
    private const string Password = "s3cret-Per-Instance-Password";
    private readonly AppProbe probe = new();
    private readonly RecordingLog log = new();

    public void Dispose() => probe.Dispose();


    [Fact]
    public async Task Every_app_check_runs_from_outside_and_a_firewall_that_lets_a_listened_port_through_fails()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}"));
        using var web = new CannedHttpServer(head => head.Contains(basic, StringComparison.Ordinal) ? (200, "OK", "Welcome, admin", null)
            : (401, "Unauthorized", "no", null));
        using var leaky = new TcpListener(IPAddress.Loopback, 0); // a service the firewall should have filtered
        leaky.Start();
        var leakyPort = ((IPEndPoint)leaky.LocalEndpoint).Port;
        var filteredPort = FreeTcpPort.Next();
        var session = new FakeSession()
            .Reply("ACTION='system'", "system\trunning\n")
            .Reply("ACTION='services'", "unit\tnginx\tactive\tenabled\n")
            .Reply("ACTION='listeners'",
                $"listen\t0.0.0.0:{web.Port}\tLISTEN 0 511 0.0.0.0:{web.Port} 0.0.0.0:* nginx\nlisten\t0.0.0.0:{leakyPort}\tLISTEN 0 80 0.0.0.0:{leakyPort} "
                + "0.0.0.0:* mariadbd\n")
            .Reply("ACTION='listen'", "listener\tstarted\tpython3\t4242\n")
            .Reply("ACTION='unlisten'", "stopped\t4242\n")
            .Reply("cat /root/.admin_password", Password + "\n");
        var settings = new TestImageSettings { AppTimeout = TimeSpan.FromSeconds(30) };
        settings.Services.Add("nginx");
        settings.OpenPorts.Add(web.Port);
        settings.HttpChecks.Add(
            new HttpCheck("/admin/", 200, "Welcome") { Port = web.Port, UserName = "admin", PasswordCommand = "cat /root/.admin_password" });
        settings.ClosedPorts.Add(leakyPort);
        settings.ClosedPorts.Add(filteredPort);

        var checks = await new AppTester(session, probe, log, "127.0.0.1").RunAsync(settings, afterReboot: false, CancellationToken.None);

        Assert.Equal([9, 10, 11, 12, 13], checks.Select(c => c.Id));
        Assert.All(checks.Take(4), c => Assert.True(c.Level == CheckLevel.Pass, $"{c.Id} {c.Name}: {c.Message}"));
        var closed = checks.Single(c => c.Id == 13);
        Assert.Equal(CheckLevel.Fail, closed.Level);
        Assert.Equal(
            $"port {leakyPort} accepts connections from outside while something listens on it: the firewall does not filter it (ufw enabled? default deny "
            + "incoming?).", closed.Message);
        Assert.Contains(closed.Evidence, e
            => e.Contains($"port {filteredPort}: connection refused; listening inside: a temporary listener (python3, pid 4242)", StringComparison.Ordinal));

        // A temporary listener only where nothing listened, and it is stopped again.
        var commands = session.Commands.ToList();
        Assert.Single(commands, c => c.Contains("ACTION='listen'", StringComparison.Ordinal) && c.Contains($"PORT='{filteredPort}'", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("ACTION='listen'", StringComparison.Ordinal)
            && c.Contains($"PORT='{leakyPort}'", StringComparison.Ordinal));
        Assert.Single(commands, c => c.Contains("ACTION='unlisten'", StringComparison.Ordinal)
            && c.Contains($"PORT='{filteredPort}'", StringComparison.Ordinal));

        // The password went to the server and nowhere else.
        Assert.Contains(web.Requests, r => r.Contains(basic, StringComparison.Ordinal));
        Assert.DoesNotContain(Password, log.AllText);
        Assert.All(checks, c => Assert.DoesNotContain(Password, c.Message + string.Join('\n', c.Evidence)));
    }

    [Fact]
    public async Task After_a_reboot_the_same_checks_have_their_own_ids_and_names()
    {
        var settings = new TestImageSettings { RequireSystemRunning = false };

        var checks = await new AppTester(new FakeSession(), probe, log, "127.0.0.1").RunAsync(settings, afterReboot: true, CancellationToken.None);

        Assert.Equal([14, 15, 16, 17, 18], checks.Select(c => c.Id));
        Assert.All(checks, c => Assert.EndsWith(" after a reboot", c.Name));
        Assert.All(checks, c => Assert.Equal(CheckLevel.Pass, c.Level));
    }

    [Fact]
    public async Task A_degraded_system_and_a_disabled_service_fail_with_the_failed_units_and_the_journal()
    {
        var session = new FakeSession()
            .Reply("ACTION='system'", "system\tdegraded\nfailed\t● php8.2-fpm.service loaded failed failed The PHP 8.2 FastCGI Process Manager\n")
            .Reply("ACTION='services'", "unit\tnginx\tinactive\tdisabled\n")
            .Reply("JOURNAL='1'", "unit\tnginx\tinactive\tdisabled\njournal\tnginx\tweb systemd[1]: Stopped nginx.service.\n");
        var settings = new TestImageSettings();
        settings.Services.Add("nginx");

        var checks = await new AppTester(session, probe, log, "127.0.0.1").RunAsync(settings, afterReboot: false, CancellationToken.None);

        var system = checks.Single(c => c.Id == 9);
        Assert.Equal(CheckLevel.Fail, system.Level);
        Assert.Contains("degraded: 1 unit(s) failed: php8.2-fpm.service", system.Message);
        var services = checks.Single(c => c.Id == 10);
        Assert.Equal("nginx.service is inactive and disabled: it does not start at boot (systemctl enable nginx).", services.Message);
        Assert.Contains("nginx.service journal: web systemd[1]: Stopped nginx.service.", services.Evidence);
    }

    [Fact]
    public async Task A_wait_that_runs_out_reports_the_last_state_seen_and_the_setting()
    {
        var session = new FakeSession().Reply("ACTION='services'", "unit\tmariadb\tactivating\tenabled\n");
        var settings = new TestImageSettings { RequireSystemRunning = false, AppTimeout = TimeSpan.FromMilliseconds(300) };
        settings.Services.Add("mariadb");

        var checks = await new AppTester(session, probe, log, "127.0.0.1").RunAsync(settings, afterReboot: false, CancellationToken.None);

        Assert.Contains("mariadb.service is activating although enabled", checks.Single(c => c.Id == 10).Message);
        Assert.Contains("last state seen: mariadb activating/enabled", log.AllText);
        Assert.Contains("TestImageSettings.AppTimeout", log.AllText);
    }
}
