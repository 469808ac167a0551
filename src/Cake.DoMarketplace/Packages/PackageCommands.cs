using System.Text.RegularExpressions;
using Cake.DoMarketplace.Diagnostics;
using Cake.DoMarketplace.Ssh;

namespace Cake.DoMarketplace.Packages;

/// <summary>The non-interactive package manager commands per family.</summary>
internal static partial class PackageCommands
{
    private const string AptEnvironment = "export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a; ";
    private const string AptOptions = "-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+_:=~*-]*\z")]
    private static partial Regex PackageName();

    public static string Upgrade(PackageFamily family) => family switch
    {
        PackageFamily.Apt => AptEnvironment + $"apt-get -y -q update && apt-get {AptOptions} dist-upgrade",
        PackageFamily.Dnf => "dnf -y upgrade --refresh",
        PackageFamily.Yum => "yum -y update",
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
            PackageFamily.Apt => AptEnvironment + $"apt-get -y -q update && apt-get {AptOptions} install --no-install-recommends {list}",
            PackageFamily.Dnf => $"dnf -y install {list}",
            PackageFamily.Yum => $"yum -y install {list}",
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
    }
}
