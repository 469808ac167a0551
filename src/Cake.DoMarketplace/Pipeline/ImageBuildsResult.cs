namespace Cake.DoMarketplace.Pipeline;

/// <summary>What <c>DoBuildImages</c> produced: one result per variant, in the order the variants were given.</summary>
/// <param name="Variants">Each variant's result.</param>
public sealed record ImageBuildsResult(IReadOnlyList<VariantResult> Variants)
{
    /// <summary>The variants whose image was built.</summary>
    public IReadOnlyList<VariantResult> Succeeded => [.. Variants.Where(v => v.Status == VariantStatus.Succeeded)];

    /// <summary>The variants that did not succeed: failed, cancelled or never started.</summary>
    public IReadOnlyList<VariantResult> NotSucceeded => [.. Variants.Where(v => v.Status != VariantStatus.Succeeded)];
}
