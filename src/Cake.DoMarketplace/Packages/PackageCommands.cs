using System.Text.RegularExpressions;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packages;

/// <summary>
/// The non-interactive package manager commands per family. Each package manager call goes through <c>package_run</c>
/// (<see cref="PackageLocks"/>), which waits while another process holds the locks: run them with
/// <see cref="PackageLockBudget.RunAsync"/>, which sends its definition first.
/// </summary>
internal static partial class PackageCommands
{
    private const string AptEnvironment = "export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a; ";
    // -q: no progress bars; Use-Pty=0: dpkg writes plain lines, not a terminal's progress; no colour in a log.
    private const string AptOptions = "-y -q -o Dpkg::Use-Pty=0 -o APT::Color=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold";

    // -qq: the index refresh says nothing unless something is wrong (errors and warnings go to stderr, always shown).
    private const string AptUpdate = "package_run apt-get -qq -o APT::Color=0 update";

    // Once per build droplet: a later step reuses the first step's fresh index (AptIndex).
    private static readonly string AptRefresh = AptIndex.RefreshUnlessFresh(AptUpdate);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+_:=~*-]*\z")]
    private static partial Regex PackageName();

    public static string Upgrade(PackageFamily family) => family switch
    {
        PackageFamily.Apt => AptEnvironment + $"{AptRefresh} && package_run apt-get {AptOptions} dist-upgrade",
        PackageFamily.Dnf => "package_run dnf -y -q upgrade --refresh",
        PackageFamily.Yum => "package_run yum -y -q update",
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    public static string Install(PackageFamily family, IReadOnlyCollection<string> packages)
    {
        foreach (var package in packages)
        {
            if (!PackageName().IsMatch(package))
            {
                throw new DoSettingsException("packages", $"'{package}' is not a package name (letters, digits and . + _ : = ~ - only).");
            }
        }

        var list = string.Join(' ', packages.Select(ShellQuote.Quote));
        return family switch
        {
            PackageFamily.Apt => AptEnvironment + $"{AptRefresh} && package_run apt-get {AptOptions} install --no-install-recommends {list}",
            PackageFamily.Dnf => $"package_run dnf -y -q install {list}",
            PackageFamily.Yum => $"package_run yum -y -q install {list}",
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
    }

    /// <summary>Lists the installed packages as <c>name TAB version TAB status</c> lines (<see cref="PackageChanges.ParseInventory"/>).</summary>
    public static string Inventory(PackageFamily family) => family switch
    {
        PackageFamily.Apt => @"dpkg-query -W -f='${Package}\t${Version}\t${db:Status-Abbrev}\n'",
        PackageFamily.Dnf or PackageFamily.Yum => @"rpm -qa --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\tii\n'",
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };
}
