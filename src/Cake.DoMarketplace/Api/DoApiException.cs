using System.Net;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// An error answer from the DigitalOcean API. Carries what the API said and never the token. A 403 from a call whose
/// scope the client knows is the more specific <see cref="DoScopeMissingException"/>.
/// </summary>
public class DoApiException : DoMarketplaceException
{
    /// <summary>Creates the exception from the parts of an error response.</summary>
    public DoApiException(HttpMethod method, string path, HttpStatusCode statusCode, string? errorId, string? apiMessage, string? requestId)
        : this(Describe(method, path, statusCode, errorId, apiMessage, requestId), method, path, statusCode, errorId, apiMessage, requestId)
    {
    }

    /// <summary>Creates a more specific API error: the same parts, with a message of its own.</summary>
    protected DoApiException(string message, HttpMethod method, string path, HttpStatusCode statusCode, string? errorId, string? apiMessage, string? requestId,
        string? contentType = null)
        : base(message)
    {
        Method = method.Method;
        Path = path;
        StatusCode = statusCode;
        ErrorId = errorId;
        ApiMessage = apiMessage;
        RequestId = requestId;
        ContentType = contentType;
    }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The path (and query) of the failed request.</summary>
    public string Path { get; }

    /// <summary>The HTTP status code returned.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The API's error id, such as <c>not_found</c> or <c>unprocessable_entity</c>.</summary>
    public string? ErrorId { get; }

    /// <summary>The API's human readable message.</summary>
    public string? ApiMessage { get; }

    /// <summary>The request id (<c>request_id</c> or the <c>x-request-id</c> header) to quote to DigitalOcean support.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// The media type of an error answer that was not JSON (<c>text/html</c>: a page of a proxy or gateway between this
    /// machine and the API, not the API's own answer); null for the API's JSON errors.
    /// </summary>
    public string? ContentType { get; }

    /// <summary>True when the API said the resource does not exist.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>True when the API refused the request because the resource has an action in progress.</summary>
    public bool IsPendingEvent =>
        (int)StatusCode == 422 && ApiMessage?.Contains("pending event", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>An error answer that is not JSON: a page of something between this machine and the API.</summary>
    /// <param name="method">The HTTP method of the failed request.</param>
    /// <param name="path">The path (and query) of the failed request.</param>
    /// <param name="statusCode">The HTTP status code returned.</param>
    /// <param name="contentType">The media type of the answer, such as <c>text/html</c>.</param>
    /// <param name="pageTitle">The page's title, if it has one (kept as <see cref="ApiMessage"/>).</param>
    /// <param name="requestId">The <c>x-request-id</c> header, if any.</param>
    internal static DoApiException NotJson(HttpMethod method, string path, HttpStatusCode statusCode, string contentType, string? pageTitle, string? requestId)
    {
        var title = pageTitle is null ? string.Empty : $" (\"{pageTitle}\")";
        var what = (int)statusCode switch
        {
            502 or 503 or 504 => $"a proxy or gateway error page{title}; try again later",
            401 or 403 or 407 => $"a page of a proxy or firewall between this machine and the API{title}; check the network's proxy settings",
            _ => $"a page of something between this machine and the API (a proxy, gateway or captive portal){title}, not the API's answer",
        };
        var text = $"DigitalOcean API answered {method.Method} {path} with {contentType} ({(int)statusCode}) instead of JSON: {what}";
        if (!string.IsNullOrWhiteSpace(requestId))
        {
            text += $" (request id {requestId})";
        }

        return new DoApiException(text, method, path, statusCode, null, pageTitle, requestId, contentType);
    }

    private static string Describe(HttpMethod method, string path, HttpStatusCode status, string? id, string? message, string? requestId)
    {
        var text = $"DigitalOcean API {method.Method} {path} failed with {(int)status} {id ?? status.ToString()}";
        if (!string.IsNullOrWhiteSpace(message))
        {
            text += $": {message}";
        }

        if (!string.IsNullOrWhiteSpace(requestId))
        {
            text += $" (request id {requestId})";
        }

        return text;
    }
}
