namespace Cake.DoMarketplace.Pipeline;

/// <summary>One step of an image build: what, how long, how it ended.</summary>
/// <param name="Name">The step.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Result"><c>ok</c>, <c>FAILED</c> or <c>skipped</c>, with a short detail.</param>
public sealed record BuildStep(string Name, TimeSpan Duration, string Result)
{
    /// <summary><c>ok</c>, <c>FAILED</c> or <c>skipped</c>, without the detail.</summary>
    internal string Outcome => Result.Split(':', 2)[0];

    /// <summary>The steps' durations added up, as the tables' Total row shows them.</summary>
    internal static TimeSpan Total(IEnumerable<BuildStep> steps) => TimeSpan.FromTicks(steps.Sum(s => s.Duration.Ticks));
}
