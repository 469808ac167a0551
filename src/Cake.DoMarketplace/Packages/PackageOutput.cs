using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Packages;

/// <summary>
/// Sorts a package manager's output lines: a line that reads as a warning or an error (apt's <c>E:</c> and <c>W:</c>, dpkg's
/// and dnf's errors, a maintainer script's failure) is shown; everything else — downloads, dpkg's unpacking and setting
/// up, trigger runs, what maintainer scripts say on standard error (symlinks, config files) — is routine and goes to the
/// verbose log. Progress patterns are tested first, so that a package named like libgpg-error0 never reads as an error.
/// The lines of a wait for the package manager's locks (<c>package_run</c>, <see cref="PackageLocks"/>) are always shown.
/// </summary>
internal static partial class PackageOutput
{
    [GeneratedRegex(
        @"^(Get:|Hit:|Ign:|Fetched |Reading |Building dependency|Calculating upgrade|Selecting previously|Preparing to unpack|Unpacking |"
        + @"Setting up |Processing triggers|Preconfiguring|Removing |Purging |Need to get|After this operation|\(Reading database|"
        + @"Downloading|Installing|Upgrading|Cleaning up|Verifying|Running (transaction|scriptlet))")]
    private static partial Regex Progress();

    [GeneratedRegex(@"^(E|W|Err|Error|Warning|N):|\b(error|errors|warning|warnings|failed|failure|fatal)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Notable();

    [GeneratedRegex(@"^\s*(waiting for the package manager|the package manager (is free|stayed busy)|another process took the package manager)")]
    private static partial Regex LockWait();

    /// <summary>True for a line that only says how the run goes.</summary>
    public static bool IsRoutine(string line) => !LockWait().IsMatch(line) && (Progress().IsMatch(line) || !Notable().IsMatch(line));
}
