namespace Cake.DoMarketplace.ImageTests;

/// <summary>A systemd unit as <c>systemctl is-active</c> / <c>is-enabled</c> saw it, with its last journal lines.</summary>
internal sealed record ServiceState(string Unit, string Active, string Enabled, IReadOnlyList<string> Journal);

/// <summary><c>systemctl is-system-running</c>'s answer (<c>no-systemd</c> without systemctl) and the failed units.</summary>
internal sealed record SystemState(string State, IReadOnlyList<string> FailedUnits);

/// <summary>A listening TCP socket inside the droplet (an <c>ss -ltnp</c> line).</summary>
internal sealed record Listener(string Address, int Port, string Line)
{
    /// <summary>Bound to a loopback address only: unreachable from outside whatever the firewall says.</summary>
    public bool IsLoopback => Address.StartsWith("127.", StringComparison.Ordinal) || Address is "[::1]" or "::1" ||
                              Address.StartsWith("[::ffff:127.", StringComparison.Ordinal);
}

/// <summary>An open port's probe from outside, with what listens on it inside.</summary>
internal sealed record OpenPortResult(TcpProbe Probe, IReadOnlyList<Listener> Inside);

/// <summary>A closed port's probe from outside, made while something listened on it inside (when it could).</summary>
/// <param name="Probe">The connection attempt from outside.</param>
/// <param name="Listener">What listened during the probe ("the image's own listener (LISTEN … 0.0.0.0:3306 …)", "a temporary listener (python3, pid
/// 4242)").</param>
/// <param name="Listening">False when nothing listened and no temporary listener could be started.</param>
internal sealed record ClosedPortResult(TcpProbe Probe, string Listener, bool Listening);

/// <summary>
/// An HTTP check's last answer. A class, not a record: a record's generated <c>ToString</c> would print the password.
/// </summary>
/// <param name="check">The check.</param>
/// <param name="probe">Its last answer.</param>
/// <param name="passwordProblem">Why its password could not be read; the request was not sent.</param>
/// <param name="password">The password sent, only to mask it in body excerpts.</param>
internal sealed class HttpResult(HttpCheck check, HttpProbe probe, string? passwordProblem = null, string? password = null)
{
    public HttpCheck Check { get; } = check;

    public HttpProbe Probe { get; } = probe;

    public string? PasswordProblem { get; } = passwordProblem;

    public string? Password { get; } = password;

    public bool Matches => PasswordProblem is null && Probe.Status == Check.ExpectedStatus &&
                           (Check.ExpectedText is null || Probe.Body.Contains(Check.ExpectedText, StringComparison.Ordinal));
}
