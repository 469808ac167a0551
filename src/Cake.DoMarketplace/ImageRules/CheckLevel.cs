namespace Cake.DoMarketplace.ImageRules;

/// <summary>The level of a validation check, as DigitalOcean's script reports it.</summary>
public enum CheckLevel
{
    /// <summary>The image passes the check.</summary>
    Pass,

    /// <summary>Review will ask about it; it does not fail the image.</summary>
    Warn,

    /// <summary>The image is rejected.</summary>
    Fail,
}
