namespace Cake.DoMarketplace.LocalCloud.Faults;

/// <summary>The faults in force and the random draws behind them; swapped whole when a test changes them.</summary>
internal sealed partial class FaultInjector
{
    private readonly object gate = new();
    private FaultOptions options;
    private Random random;
    private int createResponsesToLose;
    private int malformedLeft;
    private IReadOnlyList<MalformedRoute> malformedRoutes;

    public FaultInjector(FaultOptions options)
    {
        this.options = options;
        random = options.Seed is { } seed ? new Random(seed) : new Random();
        createResponsesToLose = options.LoseCreateResponses;
        (malformedLeft, malformedRoutes) = MalformedState(options);
    }

    public FaultOptions Current
    {
        get
        {
            lock (gate)
            {
                return options;
            }
        }
    }

    public void Replace(FaultOptions next)
    {
        lock (gate)
        {
            options = next;
            random = next.Seed is { } seed ? new Random(seed) : new Random();
            createResponsesToLose = next.LoseCreateResponses;
            (malformedLeft, malformedRoutes) = MalformedState(next);
        }
    }

    /// <summary>429, a 5xx status, or null for no fault on this request.</summary>
    public int? DrawRequestFault()
    {
        lock (gate)
        {
            if (options.TooManyRequestsRate > 0 && random.NextDouble() < options.TooManyRequestsRate)
            {
                return 429;
            }

            if (options.ServerErrorRate > 0 && random.NextDouble() < options.ServerErrorRate)
            {
                return new[] { 500, 502, 503, 504 }[random.Next(4)];
            }

            return null;
        }
    }

    public bool TakeLostCreateResponse()
    {
        lock (gate)
        {
            if (createResponsesToLose <= 0)
            {
                return false;
            }

            createResponsesToLose--;
            return true;
        }
    }
}
