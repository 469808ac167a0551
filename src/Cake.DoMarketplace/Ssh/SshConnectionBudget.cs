using System.Diagnostics;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// Keeps new TCP connections to one droplet's SSH port under the rate limit most 1-Click images set: ufw's
/// <c>limit 22/tcp</c> (DigitalOcean's own apps use it) rejects a source's 6th new connection within 30 seconds, and
/// every retry, refused or not, counts. A session's connect retries, its reboot reconnects, its extra logins and SFTP
/// all share its budget, so a build never locks itself out of its own droplet.
/// </summary>
internal sealed class SshConnectionBudget
{
    /// <summary>New connections allowed per window: one fewer than ufw's hit count.</summary>
    public const int PerWindow = 5;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly Queue<long> attempts = new();

    /// <summary>Waits until one more connection to <paramref name="host"/>:<paramref name="port"/> fits the budget, then counts it.</summary>
    public async Task WaitTurnAsync(string host, int port, ICakeLog log, string label, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (attempts)
            {
                var now = Stopwatch.GetTimestamp();
                while (attempts.Count > 0 && Stopwatch.GetElapsedTime(attempts.Peek(), now) >= Window)
                {
                    attempts.Dequeue();
                }

                if (attempts.Count < PerWindow)
                {
                    attempts.Enqueue(now);
                    return;
                }

                wait = Window - Stopwatch.GetElapsedTime(attempts.Peek(), now) + TimeSpan.FromMilliseconds(100);
            }

            log.Info(
                $"[{label}] waiting {DurationText.Of(wait)} before the next connection to {host}:{port}: {PerWindow} in the last {Window.TotalSeconds:0} s, "
                + "and SSH rate limits such as ufw's 'limit' reject the 6th");
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }
}
