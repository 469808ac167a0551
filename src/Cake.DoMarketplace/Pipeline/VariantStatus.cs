namespace Cake.DoMarketplace.Pipeline;

/// <summary>How one variant of <c>DoBuildImages</c> ended.</summary>
public enum VariantStatus
{
    /// <summary>Its image was built; <see cref="VariantResult.Image"/> holds it.</summary>
    Succeeded,

    /// <summary>It failed; <see cref="VariantResult.Error"/> says why. What it had created was cleaned up.</summary>
    Failed,

    /// <summary>It was cancelled while building (a stop signal, or another variant's failure with <c>StopOnFirstFailure</c>); its clean-ups ran.</summary>
    Cancelled,

    /// <summary>It never started: the build stopped while it waited for a place.</summary>
    NotStarted,
}
