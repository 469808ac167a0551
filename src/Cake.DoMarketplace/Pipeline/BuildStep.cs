namespace Cake.DoMarketplace.Pipeline;

/// <summary>One step of an image build: what, how long, how it ended.</summary>
/// <param name="Name">The step.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Result"><c>ok</c>, <c>FAILED</c> or <c>skipped</c>, with a short detail.</param>
public sealed record BuildStep(string Name, TimeSpan Duration, string Result);
