using System.Diagnostics;
using System.Globalization;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.ImageRules;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>
/// The app checks of one boot of the test droplet: systemd's state and the services read over the SSH session, then
/// ports and HTTP probed from outside, at the droplet's public address, as a customer meets them. Waits retry until
/// <see cref="TestImageSettings.AppTimeout"/> (one budget per boot) and log what they await, the elapsed time and the
/// last state; <see cref="AppChecks"/> turns what was seen into checks.
/// </summary>
internal sealed class AppTester(IRemoteSession session, AppProbe probe, ICakeLog log, string host)
{
    private const string TimeoutSetting = nameof(TestImageSettings) + "." + nameof(TestImageSettings.AppTimeout);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<ValidationCheck>> RunAsync(TestImageSettings settings, bool afterReboot, CancellationToken cancellationToken)
    {
        var id = afterReboot ? AppChecks.AfterRebootFirstId : AppChecks.FirstId;
        var suffix = afterReboot ? " after a reboot" : string.Empty;
        var clock = Stopwatch.StartNew();
        TimeSpan Remaining()
        {
            var left = settings.AppTimeout - clock.Elapsed;
            return left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1); // one more try, then the last state counts
        }

        log.Info(
            $"[{session.Label}] checking the app {(afterReboot ? "after the reboot" : "after the first boot")}, from outside at {host}; retrying for up to "
            + $"{DurationText.Of(settings.AppTimeout)}");

        var system = settings.RequireSystemRunning ? await SystemAsync(Remaining, cancellationToken).ConfigureAwait(false) : null;
        var services = await ServicesAsync([.. settings.Services], Remaining, cancellationToken).ConfigureAwait(false);
        var open = await OpenPortsAsync([.. settings.OpenPorts], Remaining, cancellationToken).ConfigureAwait(false);
        var http = await HttpAsync([.. settings.HttpChecks], Remaining, cancellationToken).ConfigureAwait(false);
        var closed = await ClosedPortsAsync([.. settings.ClosedPorts], cancellationToken).ConfigureAwait(false);
        return
        [
            AppChecks.SystemRunning(id, suffix, system, settings.AppTimeout),
            AppChecks.Services(id + 1, suffix, services),
            AppChecks.OpenPorts(id + 2, suffix, host, open),
            AppChecks.Http(id + 3, suffix, http),
            AppChecks.ClosedPorts(id + 4, suffix, host, closed),
        ];
    }

    // The test's own SSH session came in from outside through port 22 (after a reboot: it reconnected): that is the
    // probe, and a new connection would spend the droplet's SSH rate limit (SshConnectionBudget).
    private Task<TcpProbe> ConnectAsync(int port, CancellationToken cancellationToken) =>
        port == 22 && session.IsConnected
            ? Task.FromResult(new TcpProbe(port, TcpOutcome.Accepted, "connection accepted (the test's own SSH session)"))
            : probe.ConnectAsync(host, port, cancellationToken);

    private Task<SystemState> SystemAsync(Func<TimeSpan> remaining, CancellationToken cancellationToken) =>
        UntilAsync(
            "boot to finish (systemctl is-system-running --wait)",
            remaining,
            async t =>
            {
                var wait = (int)Math.Clamp(Math.Ceiling(remaining().TotalSeconds), 1, 10);
                var facts = await StateAsync("system", new() { ["WAIT"] = wait.ToString(CultureInfo.InvariantCulture) }, t).ConfigureAwait(false);
                var state = facts.One<SystemFact>().State;
                return new SystemState(state.Length > 0 ? state : "unknown", facts.All<FailedUnitFact>().Select(f => f.Line).ToList());
            },
            s => s.State is not ("initializing" or "starting"),
            s => s.State + (s.FailedUnits.Count > 0 ? $", {s.FailedUnits.Count} failed unit(s)" : string.Empty),
            cancellationToken);

    private async Task<IReadOnlyList<ServiceState>> ServicesAsync(List<string> units, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        if (units.Count == 0)
        {
            return [];
        }

        // Waiting helps while an enabled unit is not active yet (starting, restarting); not for a disabled one.
        var states = await UntilAsync(
            $"service(s) {string.Join(", ", units.Select(AppChecks.DisplayUnit))} to be active",
            remaining,
            async t => AppChecks.ParseServices(await StateAsync("services", new() { ["UNITS"] = string.Join('\n', units) }, t).ConfigureAwait(false), units),
            s => s.All(u => AppChecks.IsHealthy(u) || u.Active == "no-systemd" || !AppChecks.IsEnabled(u)),
            s => string.Join(", ", s.Select(u => $"{u.Unit} {u.Active}/{u.Enabled}")),
            cancellationToken).ConfigureAwait(false);
        var unhealthy = states.Where(s => !AppChecks.IsHealthy(s) && s.Active != "no-systemd").Select(s => s.Unit).ToList();
        if (unhealthy.Count == 0)
        {
            return states;
        }

        var journalRequest = new Dictionary<string, string> { ["UNITS"] = string.Join('\n', unhealthy), ["JOURNAL"] = "1" };
        var withJournal = AppChecks.ParseServices(await StateAsync("services", journalRequest, cancellationToken).ConfigureAwait(false), unhealthy);
        return states.Select(s => withJournal.FirstOrDefault(j => j.Unit == s.Unit) is { } j ? s with { Journal = j.Journal } : s).ToList();
    }

    private async Task<IReadOnlyList<OpenPortResult>> OpenPortsAsync(List<int> ports, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        if (ports.Count == 0)
        {
            return [];
        }

        var probes = await UntilAsync(
            $"port(s) {string.Join(", ", ports)} of {host} to accept connections from outside",
            remaining,
            t => Task.WhenAll(ports.Select(p => ConnectAsync(p, t))),
            r => r.All(p => p.Outcome == TcpOutcome.Accepted),
            r => string.Join(", ", r.Select(p => $"{p.Port} {p.Detail}")),
            cancellationToken).ConfigureAwait(false);
        var inside = probes.All(p => p.Outcome == TcpOutcome.Accepted) ? [] : await ListenersAsync(cancellationToken).ConfigureAwait(false);
        return probes.Select(p => new OpenPortResult(p, inside.Where(l => l.Port == p.Port).ToList())).ToList();
    }

    private async Task<IReadOnlyList<HttpResult>> HttpAsync(List<HttpCheck> checks, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        if (checks.Count == 0)
        {
            return [];
        }

        var passwords = new List<(string? Password, string? Problem)>();
        foreach (var check in checks)
        {
            passwords.Add(await PasswordAsync(check, cancellationToken).ConfigureAwait(false));
        }

        return await UntilAsync(
            $"{checks.Count} HTTP check(s) on {host} to answer as expected",
            remaining,
            async t =>
            {
                var results = new List<HttpResult>();
                for (var i = 0; i < checks.Count; i++)
                {
                    var (check, (password, problem)) = (checks[i], passwords[i]);
                    var url = check.UrlFor(host);
                    results.Add(problem is not null
                        ? new HttpResult(check, new HttpProbe(url, null, null, string.Empty, null, null, problem), problem)
                        : new HttpResult(check, await probe.GetAsync(url, check.UserName, password, t).ConfigureAwait(false), null, password));
                }

                return (IReadOnlyList<HttpResult>)results;
            },
            r => r.All(h => h.Matches || h.PasswordProblem is not null),
            r
                => string.Join(", ",
                r.Select(h => $"{h.Probe.Url.PathAndQuery} {(h.Probe.Status is { } s ? s.ToString(CultureInfo.InvariantCulture) : h.Probe.Detail)}")),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The password of a check: given, or printed by its command on the droplet (never logged).</summary>
    private async Task<(string? Password, string? Problem)> PasswordAsync(HttpCheck check, CancellationToken cancellationToken)
    {
        if (check.PasswordCommand is not { } command)
        {
            SecretRedactor.Register(check.Password);
            return (check.Password, null);
        }

        RemoteCommandResult result;
        try
        {
            result = await session.RunAsync(command,
                new RemoteCommandSettings { LogOutput = false, AllowNonZeroExit = true, Timeout = CommandTimeout, TimeoutSetting = string.Empty },
                cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException)
        {
            return (null, $"PasswordCommand did not end within {DurationText.Of(CommandTimeout)}");
        }

        var password = result.StandardOutput.Trim();
        if (!result.Succeeded)
        {
            var error = result.StandardError.Trim().Split('\n')[0];
            return (null, $"PasswordCommand exited with status {result.ExitStatus}{(error.Length > 0 ? $" ({Shorten(error)})" : string.Empty)}");
        }

        if (password.Length == 0)
        {
            return (null, "PasswordCommand printed nothing (did the first boot write the password?)");
        }

        SecretRedactor.Register(password);
        return (password, null);
    }

    private async Task<IReadOnlyList<ClosedPortResult>> ClosedPortsAsync(List<int> ports, CancellationToken cancellationToken)
    {
        if (ports.Count == 0)
        {
            return [];
        }

        // Only a listener proves the firewall: without one, any port is refused. Start one where nothing listens.
        var listeners = await ListenersAsync(cancellationToken).ConfigureAwait(false);
        var holders = new Dictionary<int, (string Listener, bool Listening)>();
        var started = new List<int>();
        try
        {
            foreach (var port in ports)
            {
                var existing = listeners.Where(l => l.Port == port && !l.IsLoopback).Select(l => l.Line).ToList();
                if (existing.Count > 0)
                {
                    holders[port] = ("the image's own listener (" + string.Join(" | ", existing) + ")", true);
                    continue;
                }

                var listen = new Dictionary<string, string> { ["PORT"] = Text(port), ["ADDR"] = host, ["TTL"] = "120" };
                var listener = (await StateAsync("listen", listen, cancellationToken).ConfigureAwait(false)).One<TemporaryListenerFact>();
                if (listener.Outcome == "started")
                {
                    started.Add(port);
                    holders[port] = ($"a temporary listener ({listener.Detail}, pid {listener.Pid})", true);
                }
                else
                {
                    holders[port] = ($"none: no temporary listener could be started ({(listener.Outcome.Length > 0 ? listener.Detail : "no answer")})", false);
                }
            }

            log.Info(
                $"[{session.Label}] probing port(s) {string.Join(", ", ports)} of {host} from outside while something listens on each; they must not connect");
            var probes = await Task.WhenAll(ports.Select(p => ConnectAsync(p, cancellationToken))).ConfigureAwait(false);
            return probes.Select(p => new ClosedPortResult(p, holders[p.Port].Listener, holders[p.Port].Listening)).ToList();
        }
        finally
        {
            foreach (var port in started)
            {
                try
                {
                    await StateAsync("unlisten", new() { ["PORT"] = Text(port) }, CancellationToken.None).ConfigureAwait(false);
                }
                catch (DoMarketplaceException e)
                {
                    log.Warn($"[{session.Label}] could not stop the temporary listener on port {port} (it ends by itself within 2 minutes): {e.Message}");
                }
            }
        }
    }

    private async Task<IReadOnlyList<Listener>> ListenersAsync(CancellationToken cancellationToken)
    {
        var facts = await StateAsync("listeners", [], cancellationToken).ConfigureAwait(false);

        // This test's own SSH session reaches sshd: an empty list is a listing that failed, not a machine with no listener.
        return facts.All<ListenFact>().Any()
            ? AppChecks.ParseListeners(facts)
            : throw facts.Missing("no 'listen' record, though this test's own SSH session reaches a listening sshd: the listening sockets could not be listed");
    }

    private Task<ImageFacts> StateAsync(string action, Dictionary<string, string> variables, CancellationToken cancellationToken)
    {
        variables["ACTION"] = action;
        return AppStateFacts.Script.RunAsync(session, variables, CommandTimeout, string.Empty, cancellationToken);
    }

    /// <summary>Waits with <see cref="ProgressWaiter"/>; on timeout returns the last state seen, for the check to report.</summary>
    private async Task<T> UntilAsync<T>(string awaited, Func<TimeSpan> remaining, Func<CancellationToken, Task<T>> read, Func<T, bool> isDone, Func<T,
        string> describe, CancellationToken cancellationToken)
    {
        var last = default(T);
        try
        {
            return await new ProgressWaiter(log).WaitAsync(
                awaited,
                remaining(),
                TimeoutSetting,
                async t => last = await read(t).ConfigureAwait(false),
                isDone,
                describe,
                PollSchedule.Local,
                cancellationToken).ConfigureAwait(false);
        }
        catch (WaitTimeoutException e)
        {
            log.Warn($"[{session.Label}] {e.Message}");
            return last!;
        }
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;
}
