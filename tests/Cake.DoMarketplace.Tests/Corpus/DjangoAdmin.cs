using System.Net;
using System.Text.RegularExpressions;

namespace Cake.DoMarketplace.Tests.Corpus;

/// <summary>Django's admin login as a browser does it: the form's CSRF token and cookie, then the POST.</summary>
internal static partial class DjangoAdmin
{
    [GeneratedRegex("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>Logs in at <c>http://address/admin/login/</c>; returns where Django sends the user, or null when it refused.</summary>
    public static async Task<string?> LogInAsync(string address, string user, string password)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://{address}/"), Timeout = TimeSpan.FromSeconds(30) };
        var form = await client.GetStringAsync(new Uri("admin/login/?next=/admin/", UriKind.Relative));
        var token = CsrfField().Match(form);
        Assert.True(token.Success, "the admin's login page has no CSRF token field:\n" + form);
        using var fields = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrfmiddlewaretoken"] = token.Groups[1].Value,
            ["username"] = user,
            ["password"] = password,
            ["next"] = "/admin/",
        });
        using var answer = await client.PostAsync(new Uri("admin/login/?next=/admin/", UriKind.Relative), fields);
        if (answer.StatusCode == HttpStatusCode.Found)
        {
            return answer.Headers.Location?.OriginalString;
        }

        var page = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK && page.Contains("Please enter the correct username and password", StringComparison.Ordinal),
            $"the admin's login answered {(int)answer.StatusCode}, neither a redirect nor the form's refusal:\n{page}");
        return null;
    }
}
