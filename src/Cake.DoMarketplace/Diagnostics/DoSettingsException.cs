namespace Cake.DoMarketplace.Diagnostics;

/// <summary>
/// A setting has a value the build cannot use. Raised before any cloud resource is created; the message names the
/// setting and says how to fix it.
/// </summary>
public sealed class DoSettingsException : DoMarketplaceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="setting">The setting, for example <c>BuildDropletSettings.Region</c>.</param>
    /// <param name="message">What is wrong and how to fix it.</param>
    public DoSettingsException(string setting, string message)
        : base(message)
    {
        Setting = setting;
    }

    /// <summary>The setting that is wrong.</summary>
    public string Setting { get; }
}
