using System.Text.RegularExpressions;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>
/// The app checks of <c>DoTestImage</c>, evaluated from what was seen from outside (probes) and inside (systemctl, ss):
/// pure, so every wording is testable without a network. After the first boot: 9 system running, 10 services, 11 open
/// ports, 12 HTTP, 13 closed ports; after the reboot the same five as 14–18.
/// </summary>
internal static partial class AppChecks
{
    public const int FirstId = 9;
    public const int AfterRebootFirstId = 14;

    private static readonly HashSet<string> EnabledStates = new(StringComparer.Ordinal) { "enabled", "static", "indirect", "generated", "alias" };

    private static readonly string[] UnitSuffixes =
        [".service", ".socket", ".timer", ".target", ".mount", ".automount", ".path", ".swap", ".slice", ".scope", ".device"];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Services active and enabled.</summary>
    public static ValidationCheck Services(int id, string suffix, IReadOnlyList<ServiceState> states)
    {
        var name = "Services active and enabled" + suffix;
        if (states.Count == 0)
        {
            return Pass(id, name, "No services listed (TestImageSettings.Services): nothing was asked.");
        }

        if (states.Any(s => s.Active == "no-systemd"))
        {
            return Fail(id, name,
                "The image has no systemd (systemctl not found): its services cannot be checked, and DigitalOcean droplets boot with systemd.", []);
        }

        var problems = states.Where(s => !IsHealthy(s)).ToList();
        if (problems.Count == 0)
        {
            return Pass(id, name, $"{states.Count} service(s) active and enabled: {string.Join(", ", states.Select(s => DisplayUnit(s.Unit)))}.",
                states.Select(s => $"{DisplayUnit(s.Unit)}: {s.Active}, {s.Enabled}").ToList());
        }

        var evidence = problems.SelectMany(s => new[] { $"{DisplayUnit(s.Unit)}: is-active {s.Active}, is-enabled {s.Enabled}" }
            .Concat(s.Journal.Select(line => $"{DisplayUnit(s.Unit)} journal: {line}"))).ToList();
        return Fail(id, name, string.Join("; ", problems.Select(Describe)) + ".", evidence);
    }

    /// <summary>The system is running, not degraded; null when not required.</summary>
    public static ValidationCheck SystemRunning(int id, string suffix, SystemState? state, TimeSpan timeout)
    {
        var name = "System running (no failed units)" + suffix;
        if (state is null)
        {
            return Pass(id, name, "Not required (TestImageSettings.RequireSystemRunning = false): nothing was asked.");
        }

        var failed = state.FailedUnits.Select(l => l.TrimStart('●', '*', ' ')).Where(l => l.Length > 0).ToList();
        var units = failed.Select(l => l.Split(' ', 2)[0]).ToList();
        return state.State switch
        {
            "running" => Pass(id, name, "systemctl is-system-running: running, no failed units."),
            "no-systemd"
                => Fail(id, name,
                "The image has no systemd (systemctl not found): DigitalOcean droplets boot with systemd, and services cannot be checked.", []),
            "degraded"
                => Fail(id, name,
                $"The system is degraded: {units.Count} unit(s) failed: {string.Join(", ", units)} (systemctl --failed; journalctl -u <unit>).", failed),
            "initializing" or "starting"
                => Fail(id, name,
                $"The system was still {state.State} after {DurationText.Of(timeout)}: boot did not finish (systemctl list-jobs shows what waits; raise "
                + "TestImageSettings.AppTimeout if it is legitimately slow).", failed),
            "offline"
                => Fail(id, name, "systemd is not running as the init system (is-system-running says offline): services would not start at boot.", failed),
            _ => Fail(id, name, $"systemctl is-system-running says '{state.State}', not running.", failed),
        };
    }

    /// <summary>Ports that must accept a connection from outside.</summary>
    public static ValidationCheck OpenPorts(int id, string suffix, string host, IReadOnlyList<OpenPortResult> results)
    {
        var name = "Ports open from outside" + suffix;
        if (results.Count == 0)
        {
            return Pass(id, name, "No ports listed (TestImageSettings.OpenPorts): nothing was asked.");
        }

        var closed = results.Where(r => r.Probe.Outcome != TcpOutcome.Accepted).ToList();
        if (closed.Count == 0)
        {
            return Pass(id, name, $"Port(s) {string.Join(", ", results.Select(r => r.Probe.Port))} accept connections from outside ({host}).");
        }

        var evidence = closed.SelectMany(r => r.Inside.Count == 0 ? [$"port {r.Probe.Port}: nothing listens inside"]
            : r.Inside.Select(l => $"port {r.Probe.Port} inside: {l.Line}")).ToList();
        return Fail(id, name, string.Join("; ", closed.Select(r => DescribeOpen(r, host))) + ".", evidence);
    }

    /// <summary>Ports that must not accept a connection from outside while something listens on them.</summary>
    public static ValidationCheck ClosedPorts(int id, string suffix, string host, IReadOnlyList<ClosedPortResult> results)
    {
        var name = "Ports closed from outside (firewall filters)" + suffix;
        if (results.Count == 0)
        {
            return Pass(id, name, "No ports listed (TestImageSettings.ClosedPorts): nothing was asked.");
        }

        var lines = new List<(CheckLevel Level, string Text)>();
        foreach (var r in results)
        {
            var port = r.Probe.Port;
            lines.Add(r.Probe.Outcome switch
            {
                TcpOutcome.Accepted when r.Listening
                    => (CheckLevel.Fail,
                    $"port {port} accepts connections from outside while something listens on it: the firewall does not filter it (ufw enabled? default deny "
                    + "incoming?)"),
                TcpOutcome.Accepted
                    => (CheckLevel.Fail,
                    $"port {port} accepts connections from outside: the firewall does not filter it (ufw enabled? default deny incoming?)"),
                _ when !r.Listening
                    => (CheckLevel.Warn,
                    $"port {port} is not reachable from outside ({r.Probe.Detail}), but nothing listened on it ({r.Listener}): that does not prove the "
                    + "firewall filters it"),
                TcpOutcome.TimedOut => (CheckLevel.Pass, $"port {port} filtered: dropped by the firewall ({r.Probe.Detail} while {r.Listener} listened)"),
                TcpOutcome.Refused => (CheckLevel.Pass, $"port {port} refused while {r.Listener} listened: rejected by the firewall (reject with tcp-reset)"),
                TcpOutcome.Unreachable => (CheckLevel.Pass, $"port {port} rejected by the firewall ({r.Probe.Detail}) while {r.Listener} listened"),
                _ => (CheckLevel.Warn, $"port {port} could not be probed: {r.Probe.Detail}"),
            });
        }

        var level = lines.Max(l => l.Level);
        var shown = level == CheckLevel.Pass ? lines : lines.Where(l => l.Level != CheckLevel.Pass).ToList();
        var message = (level == CheckLevel.Pass ? $"From outside ({host}): " : string.Empty) + string.Join("; ", shown.Select(l => l.Text)) + ".";
        var evidence = results.Select(r => $"port {r.Probe.Port}: {r.Probe.Detail}; listening inside: {r.Listener}").ToList();
        return new ValidationCheck(id, name, level, SecretRedactor.Redact(message), evidence);
    }

    /// <summary>HTTP requests from outside answered with the expected status and text.</summary>
    public static ValidationCheck Http(int id, string suffix, IReadOnlyList<HttpResult> results)
    {
        var name = "HTTP checks answer from outside" + suffix;
        if (results.Count == 0)
        {
            return Pass(id, name, "No HTTP checks listed (TestImageSettings.HttpChecks): nothing was asked.");
        }

        var failing = results.Where(r => !r.Matches).ToList();
        var evidence = results.Select(r => r.Matches ? $"{Label(r)}: ok, {r.Probe.Status}" : $"{Label(r)}: expected {Expected(r.Check)}, {Got(r)}").ToList();
        return failing.Count == 0
            ? Pass(id, name,
                $"{results.Count} HTTP check(s) answered as expected: {string.Join(", ", results.Select(r => $"{Label(r)} → {r.Probe.Status}"))}.", evidence)
            : Fail(id, name, string.Join("; ", failing.Select(DescribeHttp)) + ".", evidence);
    }

    /// <summary>Parses the <c>services</c> records of app-state.sh.</summary>
    public static IReadOnlyList<ServiceState> ParseServices(ImageFacts facts, IEnumerable<string> units)
    {
        var journal = facts.All<JournalFact>().ToLookup(j => j.Unit, j => j.Line, StringComparer.Ordinal);
        var seen = facts.All<UnitFact>().DistinctBy(u => u.Name, StringComparer.Ordinal).ToDictionary(u => u.Name, StringComparer.Ordinal);
        return units.Select(u => seen.TryGetValue(u, out var unit)
            ? new ServiceState(u, unit.Active, unit.Enabled, journal[u].ToList())
            : throw facts.Missing($"no 'unit' record for {u}, which was asked for")).ToList();
    }

    /// <summary>Parses the <c>listen</c> records of app-state.sh.</summary>
    public static IReadOnlyList<Listener> ParseListeners(ImageFacts facts) =>
        facts.All<ListenFact>().Select(l =>
        {
            var local = l.LocalAddress;
            var colon = local.LastIndexOf(':');
            var port = colon >= 0 && int.TryParse(local[(colon + 1)..], out var p) ? p : 0;
            var address = colon >= 0 ? local[..colon] : local;
            var percent = address.IndexOf('%', StringComparison.Ordinal);
            return new Listener(percent >= 0 ? address[..percent] : address, port, l.Line.Length > 0 ? l.Line.Trim() : local);
        }).Where(l => l.Port > 0).ToList();

    public static bool IsHealthy(ServiceState state) => state.Active == "active" && IsEnabled(state);

    /// <summary>Starts at boot: enabled, or pulled in without an install section of its own (static, indirect, generated, alias).</summary>
    public static bool IsEnabled(ServiceState state) => EnabledStates.Contains(state.Enabled);

    /// <summary><c>nginx</c> → <c>nginx.service</c>, as systemctl reads it (<c>php8.2-fpm</c> too: <c>.2-fpm</c> is no unit type).</summary>
    public static string DisplayUnit(string unit) =>
        UnitSuffixes.Any(s => unit.EndsWith(s, StringComparison.Ordinal)) ? unit : unit + ".service";

    /// <summary>A short, single-line excerpt of a body, with the password masked.</summary>
    public static string Excerpt(string body, string? password, int length = 160)
    {
        var text = Whitespace().Replace(body, " ").Trim();
        if (!string.IsNullOrEmpty(password))
        {
            text = text.Replace(password, "***", StringComparison.Ordinal);
        }

        return text.Length > length ? text[..length] + "…" : text;
    }

    private static string Describe(ServiceState s)
    {
        var unit = DisplayUnit(s.Unit);
        var enabled = EnabledStates.Contains(s.Enabled);
        return (s.Active == "active", enabled) switch
        {
            _ when s.Enabled == "not-found" => $"{unit} does not exist on the droplet (not installed, or named differently)",
            _ when s.Enabled.StartsWith("masked", StringComparison.Ordinal)
                => $"{unit} is {s.Active} and {s.Enabled}: it can never start (systemctl unmask {s.Unit})",
            (true, false) => $"{unit} is active but {s.Enabled}: it will not start after a reboot (systemctl enable {s.Unit})",
            (false, true) => $"{unit} is {s.Active} although {s.Enabled}: it did not start or it stopped (see its journal)",
            _ => $"{unit} is {s.Active} and {s.Enabled}: it does not start at boot (systemctl enable {s.Unit})",
        };
    }

    private static string DescribeOpen(OpenPortResult r, string host)
    {
        var port = r.Probe.Port;
        var inside = r.Inside.Count == 0 ? "nothing listens on it inside" : "inside: " + string.Join(" | ", r.Inside.Select(l => l.Line));
        var loopbackOnly = r.Inside.Count > 0 && r.Inside.All(l => l.IsLoopback);
        return r.Probe.Outcome switch
        {
            TcpOutcome.TimedOut
                => $"port {port} timed out from outside ({r.Probe.Detail}): filtered by the firewall, add a rule (ufw allow {port}/tcp) [{inside}]",
            TcpOutcome.Refused when loopbackOnly => $"port {port} refused from outside: it listens on loopback only, not on {host} [{inside}]",
            TcpOutcome.Refused => $"port {port} refused from outside: nothing listens on it (is the service running?) [{inside}]",
            TcpOutcome.Unreachable
                => $"port {port} rejected from outside ({r.Probe.Detail}): the firewall rejects it, add a rule (ufw allow {port}/tcp) [{inside}]",
            _ => $"port {port} could not be reached from outside: {r.Probe.Detail} [{inside}]",
        };
    }

    private static string Label(HttpResult r) => r.Check.Name is { } name ? $"{name} (GET {r.Probe.Url})" : $"GET {r.Probe.Url}";

    private static string Expected(HttpCheck check) =>
        check.ExpectedText is null ? $"{check.ExpectedStatus}" : $"{check.ExpectedStatus} with '{check.ExpectedText}' in the body";

    private static string Got(HttpResult r)
    {
        if (r.PasswordProblem is not null)
        {
            return $"not sent: {r.PasswordProblem}";
        }

        var p = r.Probe;
        if (p.Status is not { } status)
        {
            var why = p.Failure switch
            {
                TcpOutcome.Refused => " (nothing listens on the port from outside: is the service running?)",
                TcpOutcome.TimedOut => " (filtered by the firewall? add a rule)",
                TcpOutcome.Unreachable => " (the firewall rejects it?)",
                _ => string.Empty,
            };
            return $"no answer: {p.Detail}{why}";
        }

        var location = p.Location is null ? string.Empty : $" to {p.Location}";
        var body = Excerpt(p.Body, r.Password);
        return $"got {status}{(string.IsNullOrEmpty(p.Reason) ? string.Empty : " " + p.Reason)}{location}, body '{body}'";
    }

    private static string DescribeHttp(HttpResult r)
    {
        var textMissing = r.PasswordProblem is null && r.Probe.Status == r.Check.ExpectedStatus && r.Check.ExpectedText is not null;
        return textMissing
            ? $"{Label(r)} answered {r.Probe.Status} but '{r.Check.ExpectedText}' is not in the body: '{Excerpt(r.Probe.Body, r.Password)}'"
            : $"{Label(r)} expected {Expected(r.Check)}, {Got(r)}";
    }

    private static ValidationCheck Pass(int id, string name, string message, IReadOnlyList<string>? evidence = null) =>
        new(id, name, CheckLevel.Pass, message, evidence ?? []);

    private static ValidationCheck Fail(int id, string name, string message, IReadOnlyList<string> evidence) =>
        new(id, name, CheckLevel.Fail, SecretRedactor.Redact(message), evidence.Select(SecretRedactor.Redact).ToList());
}
