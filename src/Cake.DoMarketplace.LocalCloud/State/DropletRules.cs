using System.Text;

namespace Cake.DoMarketplace.LocalCloud.State;

/// <summary>
/// DigitalOcean's rules on the fields of a droplet create and a tag, written from its own documentation (sources in
/// docs/local-cloud.md, "Request rules"): each returns DigitalOcean's refusal, or null when the value passes.
/// </summary>
internal static class DropletRules
{
    /// <summary>OpenAPI <c>droplet_single_create.yml</c>: <c>name</c>, <c>maxLength: 255</c>.</summary>
    public const int MaxNameLength = 255;

    /// <summary>OpenAPI <c>droplet_create.yml</c>: <c>user_data</c> "may not exceed 64 KiB in size".</summary>
    public const int MaxUserDataBytes = 64 * 1024;

    /// <summary>OpenAPI <c>tags.yml</c>: "There is a limit of 255 characters per tag."</summary>
    public const int MaxTagLength = 255;

    /// <summary>
    /// A droplet's name becomes its hostname: DigitalOcean's 422 says "Only valid hostname characters are allowed.
    /// (a-z, A-Z, 0-9, . and -)". The OpenAPI <c>pattern</c> of <c>droplet_single_create.yml</c> (lower case, 32
    /// characters) is not applied: its own example, <c>example.com</c>, breaks it.
    /// </summary>
    public static string? NameRefusal(string? name) =>
        string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !name.All(IsHostnameCharacter)
            ? "Name Only valid hostname characters are allowed. (a-z, A-Z, 0-9, . and -)"
            : null;

    /// <summary>OpenAPI <c>tags.yml</c>: "Tags may contain letters, numbers, colons, dashes, and underscores", 1 to 255 of them.</summary>
    public static string? TagRefusal(string tag) =>
        tag.Length is 0 or > MaxTagLength || !tag.All(IsTagCharacter)
            ? $"Tag name '{tag}' is invalid: only letters, numbers, colons, dashes and underscores are allowed."
            : null;

    /// <summary>OpenAPI <c>droplet_create.yml</c>: <c>user_data</c> "may not exceed 64 KiB", counted in bytes as sent (UTF-8).</summary>
    public static string? UserDataRefusal(string? userData) =>
        userData is not null && Encoding.UTF8.GetByteCount(userData) > MaxUserDataBytes ? "User data is limited to 64 KiB." : null;

    private static bool IsHostnameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    private static bool IsTagCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_';
}
