namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>The draws of <see cref="FaultOptions.MalformedAnswers"/>.</summary>
internal sealed partial class FaultInjector
{
    /// <summary>The kind of malformed answer to give this request, or null for its real answer.</summary>
    public string? TakeMalformedAnswer(string method, string pathAndQuery)
    {
        lock (gate)
        {
            if (options.MalformedAnswers.Count == 0 || malformedLeft <= 0 || !MalformedRoute.AnyMatches(malformedRoutes, method, pathAndQuery))
            {
                return null;
            }

            if (options.MalformedRate < 1 && random.NextDouble() >= options.MalformedRate)
            {
                return null;
            }

            malformedLeft--;
            var kinds = MalformedAnswerKinds.All.Where(options.MalformedAnswers.Contains).ToList();
            return kinds[random.Next(kinds.Count)];
        }
    }

    /// <summary>Gives back a draw whose answer could not be spoiled that way (nothing to cut, no list to link).</summary>
    public void ReturnMalformedAnswer()
    {
        lock (gate)
        {
            malformedLeft++;
        }
    }

    private static (int Left, IReadOnlyList<MalformedRoute> Routes) MalformedState(FaultOptions options) =>
        (options.MalformedCount > 0 ? options.MalformedCount : int.MaxValue, MalformedRoute.ParseAll(options.MalformedPaths));
}
