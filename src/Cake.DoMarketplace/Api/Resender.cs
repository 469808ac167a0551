using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Sends a request that must happen exactly once (create a droplet, register a key, post an action). When its answer
/// is lost or unusable (<see cref="OutcomeClassifier.MayHaveHappened"/>), it is never blindly sent again: the caller's
/// check looks for what the lost request would have made, and only when nothing is found is it sent again, at most
/// <see cref="MaxSends"/> times.
/// </summary>
internal sealed class Resender(ICakeLog log)
{
    /// <summary>How often a request is sent at most.</summary>
    public const int MaxSends = 4;

    /// <summary>Sends <paramref name="send"/>; after a lost answer, <paramref name="findDone"/> says whether it happened (and its result).</summary>
    /// <param name="what">The request, for the log ("creating the droplet").</param>
    /// <param name="send">Sends the request once.</param>
    /// <param name="findDone">After a lost answer: whether the request was carried out after all, and its result.</param>
    /// <param name="cancellationToken">Stops promptly.</param>
    /// <param name="alsoCheckAfter">Other failures that also mean "look before sending again" (a 422 for a key already registered).</param>
    public async Task<T> SendOnceAsync<T>(
        string what,
        Func<CancellationToken, Task<T>> send,
        Func<CancellationToken, Task<(bool Done, T Result)>> findDone,
        CancellationToken cancellationToken,
        Func<Exception, bool>? alsoCheckAfter = null)
    {
        for (var sent = 1; ; sent++)
        {
            try
            {
                return await send(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when ((OutcomeClassifier.MayHaveHappened(e, cancellationToken) || alsoCheckAfter?.Invoke(e) == true) && sent < MaxSends)
            {
                log.Warn(
                    $"{Capitalised(what)} gave no {(e is DoApiProtocolException ? "usable " : string.Empty)}answer ({SecretRedactor.Redact(e.Message)}); "
                    + "checking whether it happened before sending it again");
                var (done, result) = await findDone(cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    return result;
                }

                await Task.Delay(TimeSpan.FromSeconds(sent), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
