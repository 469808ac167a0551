namespace Cake.DoMarketplace.FirstBoot;

/// <summary>Settings of <c>DoInstallPerOnceScript</c>, <c>DoInstallPerInstanceScript</c> and <c>DoInstallPerBootScript</c>.</summary>
public sealed class FirstBootScriptSettings
{
    /// <summary>
    /// The file name on the droplet, with its order prefix (<c>01-setup.sh</c>); defaults to the local file's name.
    /// cloud-init runs the scripts of a folder in alphanumeric order.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>Convert CRLF line endings (default) or reject the script.</summary>
    public LineEndingHandling LineEndings { get; set; } = LineEndingHandling.Convert;
}
