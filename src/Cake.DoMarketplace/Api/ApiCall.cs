using System.Net;
using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Api;

/// <summary>One answered request, as its errors name it: <c>GET /v2/droplets/42</c> and the status it got.</summary>
internal readonly record struct ApiCall(string Method, string Path, HttpStatusCode Status)
{
    public bool Accepted => (int)Status is >= 200 and < 300;

    /// <summary>"DigitalOcean API answered GET /v2/x with …", redacted, marked accepted when the status was a success.</summary>
    public DoApiProtocolException Error(string with, Exception? innerException = null) =>
        new(Method, Path, SecretRedactor.Redact($"DigitalOcean API answered {Method} {Path} with {with}"), Accepted, innerException);
}
