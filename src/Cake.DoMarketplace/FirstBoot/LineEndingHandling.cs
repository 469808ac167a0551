namespace Cake.DoMarketplace.FirstBoot;

/// <summary>What to do with Windows (CRLF) line endings in a script.</summary>
public enum LineEndingHandling
{
    /// <summary>Convert CRLF to LF and log how many lines changed (default).</summary>
    Convert,

    /// <summary>Refuse the script with an error naming the file.</summary>
    Reject,
}
