namespace Cake.DoMarketplace.Pipeline;

/// <summary>Settings of <c>DoBuildImages</c>: how many variants build at once and what a failing one does to the others.</summary>
public sealed class BuildImagesSettings
{
    /// <summary>How many variants build at the same time (default 3); the others wait for a free place, in their order.</summary>
    public int MaxParallel { get; set; } = 3;

    /// <summary>
    /// When a variant fails, cancel the variants that are building (their clean-ups still run) and start none of those
    /// still waiting. Off by default: the others go on.
    /// </summary>
    public bool StopOnFirstFailure { get; set; }

    /// <summary>
    /// Throw a <see cref="VariantBuildsFailedException"/> (carrying every variant's result) when a variant did not succeed
    /// (default). Set it to false to get the results back instead and read each <see cref="VariantResult.Status"/>; a stop
    /// signal (Ctrl-C, SIGTERM) still ends the alias in a <c>BuildStoppedException</c>.
    /// </summary>
    public bool ThrowOnFailure { get; set; } = true;
}
