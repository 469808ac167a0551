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

/// <summary>Settings of <c>DoInstallFirstLoginScript</c>.</summary>
public sealed class FirstLoginScriptSettings
{
    /// <summary>The folder under <c>/opt</c>, usually the vendor's name (<c>/opt/&lt;company&gt;/</c>). Required.</summary>
    public string? Company { get; set; }

    /// <summary>The script name without <c>.sh</c>; defaults to the local file's name.</summary>
    public string? Name { get; set; }

    /// <summary>Convert CRLF line endings (default) or reject the script.</summary>
    public LineEndingHandling LineEndings { get; set; } = LineEndingHandling.Convert;
}
