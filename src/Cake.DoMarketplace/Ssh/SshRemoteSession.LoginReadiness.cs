using System.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Renci.SshNet;

namespace Cake.DoMarketplace.Ssh;

/// <summary>
/// A login that does not run commands yet. sshd applies a <c>Match</c> block's <c>ForceCommand</c> per connection:
/// DigitalOcean's marketplace-partners sample locks root with <c>ForceCommand echo "Please wait while we get your
/// droplet ready..."</c> until its per-instance first-boot script lifts it and restarts sshd, seconds after SSH answers.
/// Such a connection is refused for commands and a new one is tried, within the connect timeout.
/// </summary>
internal sealed partial class SshRemoteSession
{
    /// <summary>How long a new connection's first command may take to show that the login runs commands.</summary>
    private static readonly TimeSpan FirstCommandTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs an empty command behind a <see cref="CommandMarker"/> on a new connection: null when the login ran it, else
    /// why the connection cannot be used (what the login answered instead), for the connect wait's progress line.
    /// </summary>
    private async Task<string?> RefusesCommandsAsync(SshClient client, LoginRefusals refusals, CancellationToken cancellationToken)
    {
        var marker = CommandMarker.New();
        var output = new RemoteOutput(log, Label, Quiet, marker);
        string refusal;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(FirstCommandTimeout);
            try
            {
                var exitStatus = await ExecuteAsync(client, marker.Wrap("true"), output, limit.Token).ConfigureAwait(false);
                if (output.MarkerSeen)
                {
                    return null;
                }

                refusal = $"the login answered {output.Answer(exitStatus)} instead of running the command";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                refusal = $"the login ran no command within {DurationText.Of(FirstCommandTimeout)}; it answered {output.Answer(null)}";
            }
            catch (Exception e) when (SshFailure.IsConnectionLost(e))
            {
                return $"the connection dropped at its first command ({e.GetType().Name}: {e.Message})";
            }
        }

        if (refusals.IsNew(refusal))
        {
            log.Info($"[{Label}] {refusal}: sshd runs a ForceCommand for {options.User} (as DigitalOcean's marketplace-partners sample does until its " +
                     "first-boot script lifts it), or the machine is not ready for logins yet; reconnecting until a login runs commands " +
                     $"(up to {DurationText.Of(options.ConnectTimeout)}, {options.ConnectTimeoutSetting})");
        }

        await Task.Delay(refusals.NextPause(), cancellationToken).ConfigureAwait(false);
        return refusal;
    }

    /// <summary>The refusals one connect wait met: which were logged, and the pause before the next connection.</summary>
    /// <param name="timeout">The connect wait's timeout: no pause runs past it.</param>
    private sealed class LoginRefusals(TimeSpan timeout)
    {
        // Each refused login spends a connection of the budget: 1, 2, 4 s, then the budget's own pace (30 s / 5), so a
        // few seconds' lock is met within seconds and a long one never runs into ufw's limit.
        private static readonly TimeSpan Longest = SshConnectionBudget.Window / SshConnectionBudget.PerWindow;
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly HashSet<string> seen = new(StringComparer.Ordinal);
        private TimeSpan pause = TimeSpan.FromSeconds(1);

        public bool IsNew(string refusal) => seen.Add(refusal);

        public TimeSpan NextPause()
        {
            var now = pause;
            pause = pause * 2 < Longest ? pause * 2 : Longest;
            var left = timeout - clock.Elapsed;
            return left < now ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : now;
        }
    }
}
