namespace Cake.DoMarketplace.Pipeline;

/// <summary>
/// One step of <c>DoBuildImage</c>, declared once: its title, whether it applies, what it does, and what undoes it.
/// A step's <see cref="Cleanup"/> runs at the end of the build once the step has run — on success too, in reverse
/// order — and is told whether the build succeeded.
/// </summary>
/// <param name="Title">The step as the log and the summary table show it.</param>
/// <param name="Run">Does the step; returns a short detail for the table, or null.</param>
/// <param name="SkipReason">Why the step does not apply to this build, or null when it runs.</param>
/// <param name="Cleanup">Undoes or finishes what the step made, given whether the build succeeded.</param>
internal sealed record PipelineStep(
    string Title,
    Func<CancellationToken, Task<string?>> Run,
    string? SkipReason = null,
    Func<bool, Task>? Cleanup = null);
