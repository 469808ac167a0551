namespace Cake.DoMarketplace.ImageTests;

/// <summary>
/// One HTTP request <c>DoTestImage</c> sends from outside the droplet, as a customer's browser would:
/// <c>GET http://&lt;droplet ip&gt;:&lt;Port&gt;&lt;Path&gt;</c>, retried until it answers as expected or
/// <see cref="TestImageSettings.AppTimeout"/> passes. Redirects are not followed: expect the redirect's status (302) or
/// check its target path.
/// </summary>
/// <example>
/// <code>
/// settings.HttpChecks.Add(new HttpCheck("/", 200, "Welcome to nginx"));
/// settings.HttpChecks.Add(new HttpCheck("/admin/")
/// {
///     UserName = "admin",
///     PasswordCommand = "sed -n 's/^admin_password=//p' /root/.digitalocean_passwords",
///     Name = "admin page with the per-instance password",
/// });
/// </code>
/// </example>
public sealed class HttpCheck
{
    /// <summary>Creates a check of <c>GET /</c> on port 80 expecting 200.</summary>
    public HttpCheck()
    {
    }

    /// <summary>Creates a check of <paramref name="path"/> on port 80.</summary>
    /// <param name="path">The path, starting with <c>/</c> (a query string may follow).</param>
    /// <param name="expectedStatus">The HTTP status expected (100 to 599).</param>
    /// <param name="expectedText">Text that must appear in the body; null for none.</param>
    public HttpCheck(string path, int expectedStatus = 200, string? expectedText = null)
    {
        Path = path;
        ExpectedStatus = expectedStatus;
        ExpectedText = expectedText;
    }

    /// <summary>The path, starting with <c>/</c>; default <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The TCP port; default 80.</summary>
    public int Port { get; set; } = 80;

    /// <summary>The status expected; default 200.</summary>
    public int ExpectedStatus { get; set; } = 200;

    /// <summary>Text that must appear in the body (ordinal, case-sensitive); null for none.</summary>
    public string? ExpectedText { get; set; }

    /// <summary>User name for HTTP basic authentication; null sends no credentials.</summary>
    public string? UserName { get; set; }

    /// <summary>The basic-authentication password, when it is the same on every droplet. Never logged or reported.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A command run as root on the droplet (over the test's SSH session) whose trimmed standard output is the password:
    /// for a per-instance password the first-boot script wrote, e.g.
    /// <c>sed -n 's/^admin_password=//p' /root/.digitalocean_passwords</c>. Its output is never logged or reported.
    /// </summary>
    public string? PasswordCommand { get; set; }

    /// <summary>A name for the report; defaults to the method and address.</summary>
    public string? Name { get; set; }

    /// <summary>The URL on a droplet with the given address.</summary>
    internal Uri UrlFor(string host) => new($"http://{host}:{Port}{Path}", UriKind.Absolute);

    /// <inheritdoc />
    public override string ToString() => Name ?? $"GET :{Port}{Path}";
}
