using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Finds the API token and base address in settings or the environment variables Packer, doctl and Terraform use.
/// </summary>
internal static class DoApiCredentials
{
    /// <summary>Environment variables read for the token, in order.</summary>
    public static readonly IReadOnlyList<string> TokenVariables =
        ["DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "DIGITALOCEAN_API_TOKEN"];

    /// <summary>Environment variable read for the API base address.</summary>
    public const string ApiUrlVariable = "DIGITALOCEAN_API_URL";

    /// <summary>
    /// Builds complete <see cref="DoApiOptions"/> from a token and URL given in settings (either may be null) and the
    /// environment. Throws <see cref="DoSettingsException"/> naming the setting when the token is missing or malformed.
    /// </summary>
    public static DoApiOptions Resolve(string? token, Uri? baseUrl, Func<string, string?> environment, string settingName)
    {
        var resolvedToken = string.IsNullOrWhiteSpace(token)
            ? TokenVariables.Select(environment).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
            : token;
        if (string.IsNullOrWhiteSpace(resolvedToken))
        {
            throw new DoSettingsException(
                settingName,
                $"No DigitalOcean API token. Set {settingName} or the DIGITALOCEAN_TOKEN environment variable " +
                "(a personal access token from the API page of the control panel: full access, or the custom scopes the README lists).");
        }

        resolvedToken = resolvedToken.Trim();
        if (resolvedToken.Length < 16 || resolvedToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > 126))
        {
            throw new DoSettingsException(
                settingName,
                $"The DigitalOcean API token in {settingName} (or DIGITALOCEAN_TOKEN) is malformed: it must be one line " +
                "of at least 16 printable ASCII characters without spaces, like dop_v1_… . Copy it again from the control panel.");
        }

        var url = baseUrl ?? ParseUrl(environment(ApiUrlVariable)) ?? DoApiOptions.DefaultBaseUrl;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new DoSettingsException(ApiUrlVariable, $"The DigitalOcean API address '{url}' must be an absolute http(s) URL.");
        }

        SecretRedactor.Register(resolvedToken);
        return new DoApiOptions { Token = resolvedToken, BaseUrl = EnsureTrailingSlash(url) };
    }

    /// <summary>Resolves <paramref name="settings"/> against the Cake environment's variables; see the other overload.</summary>
    internal static DoApiOptions Resolve(DoApiSettings settings, Cake.Core.ICakeEnvironment environment, string settingName) =>
        Resolve(settings.Token, settings.ApiUrl, environment.GetEnvironmentVariable, settingName);

    private static Uri? ParseUrl(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) ? uri
        : throw new DoSettingsException(ApiUrlVariable, $"{ApiUrlVariable}='{value}' is not an absolute URL such as https://api.digitalocean.com.");

    private static Uri EnsureTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
