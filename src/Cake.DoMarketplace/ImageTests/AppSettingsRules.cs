using System.Text.RegularExpressions;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.ImageTests;

/// <summary>The app settings of an image test, checked before anything is created.</summary>
internal static partial class AppSettingsRules
{
    [GeneratedRegex(@"^[A-Za-z0-9:_.@\\-]+$")]
    private static partial Regex UnitName();

    /// <summary>Checks the app settings before anything is created; each message names the setting and the fix.</summary>
    /// <param name="settings">The settings.</param>
    /// <param name="prefix">The settings' name in messages, e.g. <c>TestImageSettings</c> or <c>MarketplaceImageSettings.Test</c>.</param>
    public static void CheckSettings(TestImageSettings settings, string prefix)
    {
        SettingsRules.Positive(settings.AppTimeout, $"{prefix}.{nameof(settings.AppTimeout)}");
        CheckPorts(settings.OpenPorts, $"{prefix}.{nameof(settings.OpenPorts)}");
        CheckPorts(settings.ClosedPorts, $"{prefix}.{nameof(settings.ClosedPorts)}");
        foreach (var both in settings.OpenPorts.Intersect(settings.ClosedPorts))
        {
            throw new DoSettingsException($"{prefix}.{nameof(settings.ClosedPorts)}",
                $"Port {both} is in both {prefix}.{nameof(settings.OpenPorts)} and {prefix}.{nameof(settings.ClosedPorts)}: a port cannot be open and closed "
                    + "from outside; remove it from one list.");
        }

        if (settings.ClosedPorts.Contains(22))
        {
            throw new DoSettingsException($"{prefix}.{nameof(settings.ClosedPorts)}",
                $"{prefix}.{nameof(settings.ClosedPorts)} contains 22, the SSH port the image test itself reaches the droplet on (and customers log in on): "
                    + "it cannot be closed; remove it.");
        }

        for (var i = 0; i < settings.HttpChecks.Count; i++)
        {
            CheckHttp(settings.HttpChecks[i], $"{prefix}.{nameof(settings.HttpChecks)}[{i}]");
        }

        var services = $"{prefix}.{nameof(settings.Services)}";
        foreach (var unit in settings.Services)
        {
            if (string.IsNullOrWhiteSpace(unit) || !UnitName().IsMatch(unit))
            {
                throw new DoSettingsException(services,
                    $"{services} contains '{unit}', which is not a systemd unit name: use the unit as systemctl knows it, for example 'nginx', 'php8.2-fpm' "
                        + "or 'mariadb.service'.");
            }
        }

        SettingsRules.NoDuplicates(settings.Services.Select(AppChecks.DisplayUnit), services);
    }

    private static void CheckPorts(IList<int> ports, string setting)
    {
        foreach (var port in ports)
        {
            if (port is < 1 or > 65535)
            {
                throw new DoSettingsException(setting, $"{setting} contains {port}, which is not a TCP port: use 1 to 65535.");
            }
        }

        if (ports.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new DoSettingsException(setting, $"{setting} lists port {twice.Key} {twice.Count()} times; list each port once.");
        }
    }

    private static void CheckHttp(HttpCheck? check, string setting)
    {
        if (check is null)
        {
            throw new DoSettingsException(setting, $"{setting} is null; add a check such as new HttpCheck(\"/\", 200).");
        }

        if (string.IsNullOrEmpty(check.Path) || check.Path[0] != '/' || check.Path.StartsWith("//", StringComparison.Ordinal) ||
            check.Path.Any(char.IsWhiteSpace) || !Uri.TryCreate("http://192.0.2.1" + check.Path, UriKind.Absolute, out _))
        {
            throw new DoSettingsException($"{setting}.{nameof(check.Path)}",
                $"{setting}.{nameof(check.Path)} '{check.Path}' must be a URL path starting with a single '/', without spaces, for example '/' or "
                    + "'/wp-login.php?x=1'.");
        }

        if (check.Port is < 1 or > 65535)
        {
            throw new DoSettingsException($"{setting}.{nameof(check.Port)}",
                $"{setting}.{nameof(check.Port)} is {check.Port}, which is not a TCP port: use 1 to 65535 (80 for HTTP).");
        }

        if (check.ExpectedStatus is < 100 or > 599)
        {
            throw new DoSettingsException($"{setting}.{nameof(check.ExpectedStatus)}",
                $"{setting}.{nameof(check.ExpectedStatus)} is {check.ExpectedStatus}, which is not an HTTP status: use 100 to 599 (200 for OK, 302 for a "
                    + "redirect, 401 for a login prompt).");
        }

        if (check.Password is not null && check.PasswordCommand is not null)
        {
            throw new DoSettingsException($"{setting}.{nameof(check.PasswordCommand)}",
                $"{setting} sets both {nameof(check.Password)} and {nameof(check.PasswordCommand)}: use one ({nameof(check.PasswordCommand)} for a "
                    + "per-instance password the first boot writes).");
        }

        if (check.PasswordCommand is { } command && string.IsNullOrWhiteSpace(command))
        {
            throw new DoSettingsException($"{setting}.{nameof(check.PasswordCommand)}",
                $"{setting}.{nameof(check.PasswordCommand)} is blank; set it to a command printing the password, for example \"sed -n "
                    + "'s/^admin_password=//p' /root/.digitalocean_passwords\".");
        }

        if (check.UserName is not null && check.Password is null && check.PasswordCommand is null)
        {
            throw new DoSettingsException($"{setting}.{nameof(check.UserName)}",
                $"{setting}.{nameof(check.UserName)} is set but there is no password source: set {nameof(check.Password)} or {nameof(check.PasswordCommand)}.");
        }

        if (check.UserName is null && (check.Password is not null || check.PasswordCommand is not null))
        {
            throw new DoSettingsException($"{setting}.{nameof(check.UserName)}",
                $"{setting} has a password but no {nameof(check.UserName)}: basic authentication needs both; set {nameof(check.UserName)}.");
        }

        if (check.UserName is { } user && (user.Length == 0 || user.Contains(':', StringComparison.Ordinal)))
        {
            throw new DoSettingsException($"{setting}.{nameof(check.UserName)}",
                $"{setting}.{nameof(check.UserName)} '{user}' cannot be used for basic authentication: it must be non-empty and without ':'.");
        }
    }
}
