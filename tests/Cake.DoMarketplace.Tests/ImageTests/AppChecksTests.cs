using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.ImageTests;
using Cake.DoMarketplace.Pipeline;
using Cake.DoMarketplace.Tests.Support;

namespace Cake.DoMarketplace.Tests.ImageTests;

/// <summary>The app checks' verdicts and wording, from probe results alone (no network), and their settings rules.</summary>
public sealed class AppChecksTests
{
    private const string Host = "203.0.113.5";

    private static HttpProbe Answer(HttpCheck check, int status, string body, string? reason = null, string? location = null) =>
        new(check.UrlFor(Host), status, reason, body, location, null, null);

    private static HttpProbe NoAnswer(HttpCheck check, TcpOutcome outcome, string detail) =>
        new(check.UrlFor(Host), null, null, string.Empty, null, outcome, detail);

    [Fact]
    public void An_http_status_mismatch_fails_with_url_expected_and_got_status_and_a_body_excerpt()
    {
        var check = new HttpCheck("/", 200, "Welcome");

        var result = AppChecks.Http(12, string.Empty,
            [new HttpResult(check, Answer(check, 502, "<html>\n  <h1>502   Bad Gateway</h1></html>", "Bad Gateway"))]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Equal(12, result.Id);
        Assert.Contains($"GET http://{Host}/", result.Message);
        Assert.Contains("expected 200 with 'Welcome' in the body", result.Message);
        Assert.Contains("got 502 Bad Gateway", result.Message);
        Assert.Contains("body '<html> <h1>502 Bad Gateway</h1></html>'", result.Message);
    }

    [Fact]
    public void Missing_text_in_a_200_answer_fails_saying_the_text_is_not_in_the_body()
    {
        var check = new HttpCheck("/setup", 200, "Create your admin account") { Port = 8080, Name = "setup page" };

        var result = AppChecks.Http(12, string.Empty, [new HttpResult(check, Answer(check, 200, "It works!"))]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains($"setup page (GET http://{Host}:8080/setup) answered 200 but 'Create your admin account' is not in the body: 'It works!'",
            result.Message);
    }

    [Theory]
    [InlineData(nameof(TcpOutcome.Refused), "connection refused", "nothing listens on the port from outside: is the service running?")]
    [InlineData(nameof(TcpOutcome.TimedOut), "no answer within 5.0s", "filtered by the firewall? add a rule")]
    public void An_http_check_without_an_answer_says_why(string outcome, string detail, string why)
    {
        var check = new HttpCheck();

        var result = AppChecks.Http(12, string.Empty, [new HttpResult(check, NoAnswer(check, Enum.Parse<TcpOutcome>(outcome), detail))]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains($"no answer: {detail} ({why})", result.Message);
    }

    [Fact]
    public void The_password_never_appears_in_the_message_or_evidence()
    {
        const string Password = "per-instance-Secret-42";
        var check = new HttpCheck("/admin/") { UserName = "admin", PasswordCommand = "cat /root/pw" };

        var result = AppChecks.Http(12, string.Empty, [new HttpResult(check, Answer(check, 500, $"debug: login admin:{Password} failed"), null, Password)]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.DoesNotContain(Password, result.Message);
        Assert.All(result.Evidence, e => Assert.DoesNotContain(Password, e));
        Assert.Contains("admin:***", result.Message);
    }

    [Fact]
    public void A_password_command_that_fails_is_the_reason_given()
    {
        var check = new HttpCheck("/admin/") { UserName = "admin", PasswordCommand = "sed -n 's/^pw=//p' /root/.digitalocean_passwords" };
        var problem = "PasswordCommand exited with status 2 (sed: can't read /root/.digitalocean_passwords: No such file or directory)";

        var result = AppChecks.Http(12, string.Empty, [new HttpResult(check, NoAnswer(check, TcpOutcome.Failed, problem), problem)]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains("not sent: PasswordCommand exited with status 2", result.Message);
    }

    [Fact]
    public void Redirects_are_reported_with_their_target()
    {
        var check = new HttpCheck("/");

        var result = AppChecks.Http(12, string.Empty, [new HttpResult(check, Answer(check, 302, string.Empty, "Found", "/wp-admin/install.php"))]);

        Assert.Contains("got 302 Found to /wp-admin/install.php", result.Message);
    }

    [Fact]
    public void Matching_http_checks_pass()
    {
        var check = new HttpCheck("/", 200, "Welcome");

        var result = AppChecks.Http(17, " after a reboot", [new HttpResult(check, Answer(check, 200, "<h1>Welcome to nginx!</h1>"))]);

        Assert.Equal(CheckLevel.Pass, result.Level);
        Assert.Equal("HTTP checks answer from outside after a reboot", result.Name);
        Assert.Contains("1 HTTP check(s) answered as expected", result.Message);
    }

    [Fact]
    public void An_open_port_that_times_out_is_filtered_by_the_firewall_and_says_what_listens_inside()
    {
        var inside = new Listener("0.0.0.0", 443, "LISTEN 0 511 0.0.0.0:443 0.0.0.0:* users:((\"nginx\",pid=812,fd=8))");

        var result = AppChecks.OpenPorts(11, string.Empty, Host,
            [new OpenPortResult(new TcpProbe(443, TcpOutcome.TimedOut, "no answer within 5.0s"), [inside])]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains("port 443 timed out from outside (no answer within 5.0s): filtered by the firewall, add a rule (ufw allow 443/tcp)", result.Message);
        Assert.Contains("nginx", result.Message);
        Assert.Contains(result.Evidence, e => e.Contains("0.0.0.0:443", StringComparison.Ordinal));
    }

    [Fact]
    public void An_open_port_that_is_refused_has_nothing_listening()
    {
        var result = AppChecks.OpenPorts(11, string.Empty, Host, [new OpenPortResult(new TcpProbe(8080, TcpOutcome.Refused, "connection refused"), [])]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains("port 8080 refused from outside: nothing listens on it (is the service running?) [nothing listens on it inside]", result.Message);
    }

    [Fact]
    public void An_open_port_refused_while_listening_on_loopback_only_says_so()
    {
        var inside = new Listener("127.0.0.1", 3000, "LISTEN 0 511 127.0.0.1:3000 0.0.0.0:*");

        var result = AppChecks.OpenPorts(11, string.Empty, Host, [new OpenPortResult(new TcpProbe(3000, TcpOutcome.Refused, "connection refused"), [inside])]);

        Assert.Contains($"port 3000 refused from outside: it listens on loopback only, not on {Host}", result.Message);
    }

    [Fact]
    public void Open_ports_that_accept_pass()
    {
        var result = AppChecks.OpenPorts(11, string.Empty, Host,
            [new OpenPortResult(new TcpProbe(80, TcpOutcome.Accepted, "connection accepted"), []),
            new OpenPortResult(new TcpProbe(443, TcpOutcome.Accepted, "connection accepted"), [])]);

        Assert.Equal(CheckLevel.Pass, result.Level);
        Assert.Equal($"Port(s) 80, 443 accept connections from outside ({Host}).", result.Message);
    }

    [Fact]
    public void A_closed_port_that_accepts_while_something_listens_fails_naming_the_port_and_the_firewall()
    {
        var results = new[]
        {
            new ClosedPortResult(new TcpProbe(3306, TcpOutcome.TimedOut, "no answer within 5.0s"), "the image's own listener (LISTEN 0 80 0.0.0.0:3306)", true),
            new ClosedPortResult(new TcpProbe(8080, TcpOutcome.Accepted, "connection accepted"), "a temporary listener (python3, pid 4242)", true),
        };

        var result = AppChecks.ClosedPorts(13, string.Empty, Host, results);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Equal(
            "port 8080 accepts connections from outside while something listens on it: the firewall does not filter it (ufw enabled? default deny incoming?).",
            result.Message);
        Assert.Contains(result.Evidence, e => e.Contains("a temporary listener (python3, pid 4242)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(TcpOutcome.TimedOut), "no answer within 5.0s",
        "port 8080 filtered: dropped by the firewall (no answer within 5.0s while a temporary listener (python3, pid 7) listened)")]
    [InlineData(nameof(TcpOutcome.Refused), "connection refused",
        "port 8080 refused while a temporary listener (python3, pid 7) listened: rejected by the firewall")]
    [InlineData(nameof(TcpOutcome.Unreachable), "host unreachable (an ICMP rejection)",
        "port 8080 rejected by the firewall (host unreachable (an ICMP rejection))")]
    public void A_closed_port_that_does_not_connect_while_listening_passes_saying_how(string outcome, string detail, string expected)
    {
        var result = AppChecks.ClosedPorts(13, string.Empty, Host,
            [new ClosedPortResult(new TcpProbe(8080, Enum.Parse<TcpOutcome>(outcome), detail), "a temporary listener (python3, pid 7)", true)]);

        Assert.Equal(CheckLevel.Pass, result.Level);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public void A_closed_port_without_any_listener_proves_nothing_and_warns()
    {
        var result = AppChecks.ClosedPorts(13, string.Empty, Host,
            [new ClosedPortResult(new TcpProbe(9000, TcpOutcome.Refused, "connection refused"),
            "none: no temporary listener could be started (python3 did not listen)", false)]);

        Assert.Equal(CheckLevel.Warn, result.Level);
        Assert.Contains("that does not prove the firewall filters it", result.Message);
    }

    [Fact]
    public void A_degraded_system_fails_listing_the_failed_units()
    {
        var state = new SystemState("degraded",
            ["● php8.2-fpm.service loaded failed failed The PHP 8.2 FastCGI Process Manager", "certbot.timer loaded failed failed Run certbot twice daily"]);

        var result = AppChecks.SystemRunning(9, string.Empty, state, TimeSpan.FromMinutes(1));

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Equal("The system is degraded: 2 unit(s) failed: php8.2-fpm.service, certbot.timer (systemctl --failed; journalctl -u <unit>).", result.Message);
        Assert.Contains("php8.2-fpm.service loaded failed failed The PHP 8.2 FastCGI Process Manager", result.Evidence);
    }

    [Theory]
    [InlineData("running", CheckLevel.Pass, "running, no failed units")]
    [InlineData("no-systemd", CheckLevel.Fail, "The image has no systemd")]
    [InlineData("starting", CheckLevel.Fail, "still starting after 1m00s")]
    [InlineData("offline", CheckLevel.Fail, "systemd is not running as the init system")]
    public void System_states_have_their_verdict(string state, CheckLevel level, string expected)
    {
        var result = AppChecks.SystemRunning(9, string.Empty, new SystemState(state, []), TimeSpan.FromMinutes(1));

        Assert.Equal(level, result.Level);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public void System_running_not_required_passes_saying_nothing_was_asked()
    {
        var result = AppChecks.SystemRunning(14, " after a reboot", null, TimeSpan.FromMinutes(1));

        Assert.Equal(CheckLevel.Pass, result.Level);
        Assert.Contains("RequireSystemRunning = false", result.Message);
        Assert.Equal("System running (no failed units) after a reboot", result.Name);
    }

    [Fact]
    public void An_inactive_disabled_service_does_not_start_at_boot_and_shows_its_journal()
    {
        var nginx = new ServiceState("nginx", "inactive", "disabled", ["Jan 01 00:00:01 web systemd[1]: Stopped nginx.service."]);

        var result = AppChecks.Services(10, string.Empty, [nginx]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Equal("nginx.service is inactive and disabled: it does not start at boot (systemctl enable nginx).", result.Message);
        Assert.Contains("nginx.service journal: Jan 01 00:00:01 web systemd[1]: Stopped nginx.service.", result.Evidence);
    }

    [Theory]
    [InlineData("active", "disabled", "nginx.service is active but disabled: it will not start after a reboot (systemctl enable nginx)")]
    [InlineData("failed", "enabled", "nginx.service is failed although enabled: it did not start or it stopped (see its journal)")]
    [InlineData("inactive", "not-found", "nginx.service does not exist on the droplet")]
    [InlineData("inactive", "masked", "nginx.service is inactive and masked: it can never start (systemctl unmask nginx)")]
    public void Unhealthy_services_say_why(string active, string enabled, string expected)
    {
        var result = AppChecks.Services(10, string.Empty, [new ServiceState("nginx", active, enabled, [])]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains(expected, result.Message);
    }

    [Fact]
    public void Active_services_enabled_or_static_pass_with_their_unit_names()
    {
        var result = AppChecks.Services(10, string.Empty,
            [new ServiceState("php8.2-fpm", "active", "enabled", []), new ServiceState("ssh.socket", "active", "static", [])]);

        Assert.Equal(CheckLevel.Pass, result.Level);
        Assert.Equal("2 service(s) active and enabled: php8.2-fpm.service, ssh.socket.", result.Message);
    }

    [Fact]
    public void Services_without_systemd_fail()
    {
        var result = AppChecks.Services(10, string.Empty, [new ServiceState("nginx", "no-systemd", "no-systemd", [])]);

        Assert.Equal(CheckLevel.Fail, result.Level);
        Assert.Contains("no systemd", result.Message);
    }

    [Fact]
    public void Empty_lists_pass_saying_nothing_was_asked()
    {
        var checks = new[]
        {
            AppChecks.Services(10, string.Empty, []),
            AppChecks.OpenPorts(11, string.Empty, Host, []),
            AppChecks.Http(12, string.Empty, []),
            AppChecks.ClosedPorts(13, string.Empty, Host, []),
        };

        Assert.All(checks, c => Assert.Equal(CheckLevel.Pass, c.Level));
        Assert.All(checks, c => Assert.Contains("nothing was asked", c.Message));
    }

    [Fact]
    public void Listener_lines_from_ss_and_from_proc_are_parsed()
    {
        var facts = AppStateFacts.Script.Parse(
            "listen\t0.0.0.0:80\tLISTEN 0 511 0.0.0.0:80 0.0.0.0:* users:((\"nginx\",pid=1,fd=6))\n" +
            "listen\t[::]:80\tLISTEN 0 511 [::]:80 [::]:*\n" +
            "listen\t127.0.0.53%lo:53\tLISTEN 0 4096 127.0.0.53%lo:53 0.0.0.0:*\n" +
            "listen\t[::1]:3306\tLISTEN 0 80 [::1]:3306 [::]:*\n" +
            "listen\t*:22\tLISTEN *:22 (/proc/net/tcp; ss not installed)\n");

        var listeners = AppChecks.ParseListeners(facts);

        Assert.Equal([80, 80, 53, 3306, 22], listeners.Select(l => l.Port));
        Assert.Equal([false, false, true, true, false], listeners.Select(l => l.IsLoopback));
        Assert.Equal("127.0.0.53", listeners[2].Address);
    }

    [Fact]
    public void Service_records_are_parsed_with_their_journal()
    {
        var facts = AppStateFacts.Script.Parse(
            "unit\tnginx\tfailed\tenabled\njournal\tnginx\tline one\njournal\tnginx\tline two\nunit\tmariadb\tactive\tenabled\n");

        var states = AppChecks.ParseServices(facts, ["nginx", "mariadb"]);

        Assert.Equal(["failed", "active"], states.Select(s => s.Active));
        Assert.Equal(["line one", "line two"], states[0].Journal);
    }

    [Fact]
    public void A_unit_asked_for_without_its_record_is_an_error_not_an_unknown_state()
    {
        var facts = AppStateFacts.Script.Parse("unit\tnginx\tactive\tenabled\n", "web-1");

        var error = Assert.Throws<FactRecordsException>(() => AppChecks.ParseServices(facts, ["nginx", "redis"]));

        Assert.StartsWith("app-state.sh on web-1 printed no 'unit' record for redis, which was asked for.", error.Message);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        // case, the setting named, a phrase of the message
        { "open port 0", "TestImageSettings.OpenPorts", "contains 0, which is not a TCP port: use 1 to 65535" },
        { "closed port 70000", "TestImageSettings.ClosedPorts", "contains 70000, which is not a TCP port" },
        { "open and closed", "TestImageSettings.ClosedPorts", "Port 8080 is in both TestImageSettings.OpenPorts and TestImageSettings.ClosedPorts" },
        { "ssh closed", "TestImageSettings.ClosedPorts", "contains 22, the SSH port" },
        { "port twice", "TestImageSettings.OpenPorts", "lists port 80 2 times" },
        { "relative path", "TestImageSettings.HttpChecks[0].Path", "'index.html' must be a URL path starting with a single '/'" },
        { "status 42", "TestImageSettings.HttpChecks[0].ExpectedStatus", "is 42, which is not an HTTP status: use 100 to 599" },
        { "http port", "TestImageSettings.HttpChecks[0].Port", "is 0, which is not a TCP port" },
        { "two password sources", "TestImageSettings.HttpChecks[0].PasswordCommand", "sets both Password and PasswordCommand" },
        { "user without password", "TestImageSettings.HttpChecks[0].UserName", "is set but there is no password source: set Password or PasswordCommand" },
        { "password without user", "TestImageSettings.HttpChecks[0].UserName", "has a password but no UserName" },
        { "bad unit", "TestImageSettings.Services", "'nginx; reboot', which is not a systemd unit name" },
        { "unit twice", "TestImageSettings.Services", "lists 'nginx.service' 2 times" },
        { "no app time", "TestImageSettings.AppTimeout", "must be a positive duration" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_app_settings_are_refused_naming_the_setting(string flaw, string setting, string phrase)
    {
        var settings = new TestImageSettings();
        switch (flaw)
        {
            case "open port 0": settings.OpenPorts.Add(0); break;
            case "closed port 70000": settings.ClosedPorts.Add(70000); break;
            case "open and closed": settings.OpenPorts.Add(8080); settings.ClosedPorts.Add(8080); break;
            case "ssh closed": settings.ClosedPorts.Add(22); break;
            case "port twice": settings.OpenPorts.Add(80); settings.OpenPorts.Add(80); break;
            case "relative path": settings.HttpChecks.Add(new HttpCheck("index.html")); break;
            case "status 42": settings.HttpChecks.Add(new HttpCheck("/", 42)); break;
            case "http port": settings.HttpChecks.Add(new HttpCheck { Port = 0 }); break;
            case "two password sources": settings.HttpChecks.Add(new HttpCheck { UserName = "admin", Password = "x", PasswordCommand = "cat /root/pw" }); break;
            case "user without password": settings.HttpChecks.Add(new HttpCheck { UserName = "admin" }); break;
            case "password without user": settings.HttpChecks.Add(new HttpCheck { Password = "x" }); break;
            case "bad unit": settings.Services.Add("nginx; reboot"); break;
            case "unit twice": settings.Services.Add("nginx"); settings.Services.Add("nginx.service"); break;
            case "no app time": settings.AppTimeout = TimeSpan.Zero; break;
        }

        var error = Assert.Throws<DoSettingsException>(() => ImageTester.CheckSettings(settings, nameof(TestImageSettings)));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(phrase, error.Message);
    }

    [Fact]
    public void Good_app_settings_pass()
    {
        var settings = new TestImageSettings { AppTimeout = TimeSpan.FromMinutes(3) };
        settings.HttpChecks.Add(new HttpCheck("/", 200, "Welcome"));
        settings.HttpChecks.Add(new HttpCheck("/admin/?tab=1", 401) { Port = 8443, UserName = "admin", PasswordCommand = "cat /root/pw" });
        settings.OpenPorts.Add(80);
        settings.ClosedPorts.Add(3306);
        settings.Services.Add("php8.2-fpm");
        settings.Services.Add("mariadb.service");

        ImageTester.CheckSettings(settings, nameof(TestImageSettings));
    }

    [Fact]
    public void DoTestImage_refuses_bad_app_settings_before_any_api_call()
    {
        var context = TestCakeContext.Create(new RecordingLog(), Path.GetTempPath());
        var settings = new TestImageSettings();
        settings.HttpChecks.Add(new HttpCheck("/", 700));

        var error = Assert.Throws<DoSettingsException>(() => context.DoTestImage(42, settings));

        Assert.Equal("TestImageSettings.HttpChecks[0].ExpectedStatus", error.Setting);
    }

    [Fact]
    public void DoBuildImage_refuses_bad_image_test_settings_before_any_droplet_exists()
    {
        var context = TestCakeContext.Create(new RecordingLog(), Path.GetTempPath());
        var settings = new MarketplaceImageSettings();
        settings.Test.OpenPorts.Add(443);
        settings.Test.ClosedPorts.Add(443);

        var error = Assert.Throws<DoSettingsException>(() => context.DoBuildImage(settings));

        Assert.Equal("MarketplaceImageSettings.Test.ClosedPorts", error.Setting);
        Assert.Contains("Port 443 is in both MarketplaceImageSettings.Test.OpenPorts and MarketplaceImageSettings.Test.ClosedPorts", error.Message);
    }
}
