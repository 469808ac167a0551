namespace Cake.DoMarketplace.FirstBoot;

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
