using System.Text;
using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Diagnostics;

/// <summary>Checks of setting values that need no API call. Each failure names the setting and the fix.</summary>
internal static partial class SettingsRules
{
    public const int MaxUserDataBytes = 64 * 1024;

    [GeneratedRegex("^[a-zA-Z0-9]?[a-z0-9A-Z.\\-]*[a-z0-9A-Z]$")]
    private static partial Regex DropletName();

    [GeneratedRegex("^[A-Za-z0-9:_-]{1,255}$")]
    private static partial Regex TagName();

    public static void DropletNameValid(string name, string setting)
    {
        if (name.Length > 255 || !DropletName().IsMatch(name))
        {
            throw new DoSettingsException(setting,
                $"{setting} '{name}' is not a valid droplet name: use letters, digits, '.' and '-', starting and ending with a letter or digit, at most 255 "
                    + "characters (for example 'myapp-build').");
        }
    }

    public static void TagsValid(IEnumerable<string> tags, string setting)
    {
        foreach (var tag in tags)
        {
            if (tag is null || !TagName().IsMatch(tag))
            {
                throw new DoSettingsException(setting,
                    $"{setting} contains '{tag}', which is not a valid tag: use 1 to 255 letters, digits, ':', '_' or '-'.");
            }
        }
    }

    public static void UserDataValid(string? userData, string setting)
    {
        if (userData is not null && Encoding.UTF8.GetByteCount(userData) > MaxUserDataBytes)
        {
            throw new DoSettingsException(setting,
                $"{setting} is {Encoding.UTF8.GetByteCount(userData)} bytes; DigitalOcean accepts at most 64 KiB. Move large files to an upload "
                    + "(DoUploadDirectory) instead.");
        }
    }

    public static void Positive(TimeSpan value, string setting)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new DoSettingsException(setting, $"{setting} is {value}; it must be a positive duration such as TimeSpan.FromMinutes(5).");
        }
    }

    public static void NoDuplicates(IEnumerable<string> values, string setting)
    {
        var duplicate = values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DoSettingsException(setting, $"{setting} lists '{duplicate.Key}' {duplicate.Count()} times; list each region once.");
        }
    }

    public static void NotBlank(string? value, string setting, string example)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DoSettingsException(setting, $"{setting} is empty; set it, for example to {example}.");
        }
    }
}
