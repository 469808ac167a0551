namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>Error answers shaped as DigitalOcean's: <c>{"id","message","request_id"}</c> plus <c>x-request-id</c>.</summary>
internal static class ApiError
{
    public static IResult NotFound() =>
        Create(StatusCodes.Status404NotFound, "not_found", "The resource you were accessing could not be found.");

    public static IResult Unprocessable(string message) =>
        Create(StatusCodes.Status422UnprocessableEntity, "unprocessable_entity", message);

    public static IResult Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, "unauthorized", "Unable to authenticate you.");

    /// <summary>A token without the scope a request needs (DigitalOcean's answer to a custom-scoped token).</summary>
    public static IResult Forbidden() =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "You are not authorized to perform this operation");

    public static IResult TooManyRequests() =>
        Create(StatusCodes.Status429TooManyRequests, "too_many_requests", "API Rate limit exceeded.");

    public static IResult BadRequest(string message) =>
        Create(StatusCodes.Status400BadRequest, "bad_request", message);

    public static IResult Create(int status, string id, string message) => new ErrorResult(status, id, message);

    private sealed class ErrorResult(int status, string id, string message) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var requestId = RequestIds.Of(httpContext);
            httpContext.Response.StatusCode = status;
            return httpContext.Response.WriteAsJsonAsync(new { id, message, request_id = requestId }, LocalCloudJson.Options);
        }
    }
}

/// <summary>Every response carries an <c>x-request-id</c>.</summary>
internal static class RequestIds
{
    public static string Of(HttpContext context)
    {
        if (context.Items.TryGetValue("request-id", out var existing) && existing is string id)
        {
            return id;
        }

        id = Guid.NewGuid().ToString();
        context.Items["request-id"] = id;
        context.Response.Headers["x-request-id"] = id;
        return id;
    }
}
