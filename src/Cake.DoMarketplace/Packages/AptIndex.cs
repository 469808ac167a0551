namespace Cake.DoMarketplace.Packages;

/// <summary>
/// One apt package-index refresh per build droplet: the first package step refreshes, later steps (and the validation's
/// security-update check) reuse that index unless it is older than <see cref="MaxAge"/> or the sources changed.
/// </summary>
/// <remarks>
/// The state lives on the droplet, not in this process: a stamp in <c>/run</c> holding a fingerprint of the apt sources
/// (<c>/etc/apt/sources.list</c> and <c>sources.list.d/*</c>) as they were at the refresh. So every step of the build —
/// each with its own <see cref="PackageManager"/>, a user's script between them — sees the same truth; a script that adds
/// a source changes the fingerprint and the next step refreshes. <c>/run</c> is a tmpfs: the stamp is gone after a
/// reboot and never reaches the snapshot. The lists' mtimes cannot say when the index was refreshed (apt keeps a file
/// unchanged when the mirror answers "not modified"), hence the stamp; a missing list (cleaned away) refreshes too.
/// </remarks>
internal static class AptIndex
{
    /// <summary>How long a refresh serves later steps of the build.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(30);

    private const string Stamp = "/run/cake-domarketplace/apt-index";

    private static readonly string Fingerprint = "cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | cksum";

    /// <summary>A shell condition, true when this droplet's index is fresh from an addin refresh with the sources unchanged.</summary>
    public static string IsFresh { get; } =
        $"{{ [ -n \"$(find {Stamp} -mmin -{(int)MaxAge.TotalMinutes} 2>/dev/null)\" ] && [ \"$(cat {Stamp})\" = \"$({Fingerprint})\" ] && ls "
            + $"/var/lib/apt/lists/*_Packages* >/dev/null 2>&1; }}";

    /// <summary>Refreshes the index unless <see cref="IsFresh"/>, then stamps it; says which in one line.</summary>
    public static string RefreshUnlessFresh(string update) =>
        $"if {IsFresh}; then echo 'Package index: refreshed by this build less than {(int)MaxAge.TotalMinutes} min ago, sources unchanged: not refreshed "
            + "again'; " +
        $"else {update} && mkdir -p {Path.GetDirectoryName(Stamp)} && {Fingerprint} > {Stamp}; fi";
}
