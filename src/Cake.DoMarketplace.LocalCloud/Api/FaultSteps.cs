namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// The API's faults, as steps every request passes, so no endpoint knows about them:
/// <see cref="Faults.FaultOptions.TooManyRequestsRate"/> and <see cref="Faults.FaultOptions.ServerErrorRate"/> (the
/// request is not carried out) and <see cref="Faults.FaultOptions.LoseCreateResponses"/> (it is, its answer is lost).
/// The malformed answers are a step of their own (<see cref="MalformedAnswers"/>).
/// </summary>
internal static class FaultSteps
{
    /// <summary>After the gate (an unauthorized or scope-refused request meets no fault): 429s and 5xxs.</summary>
    public static void UseRequestFaults(WebApplication app, Faults.FaultInjector faults)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/local-cloud") && faults.DrawRequestFault() is { } status)
            {
                if (status == 429)
                {
                    context.Response.Headers["ratelimit-remaining"] = "0";
                    context.Response.Headers["retry-after"] = "1";
                    await ApiError.TooManyRequests().ExecuteAsync(context);
                }
                else
                {
                    await ApiError.Create(status, "server_error",
                        "Injected fault: the server had a problem; the request was not carried out.").ExecuteAsync(context);
                }

                return;
            }

            await next(context);
        });
    }

    /// <summary>Next to the endpoints: a droplet create that made its droplet, answered by a connection reset.</summary>
    public static void UseLostCreateAnswers(WebApplication app, Faults.FaultInjector faults)
    {
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != "/v2/droplets")
            {
                await next(context);
                return;
            }

            var original = context.Response.Body;
            using var captured = await CapturedResponse.RunAsync(context, next);

            if (context.Response.StatusCode == StatusCodes.Status202Accepted && faults.TakeLostCreateResponse())
            {
                // The droplet exists, but its creator never hears so.
                context.Abort();
                return;
            }

            captured.Position = 0;
            await captured.CopyToAsync(original, context.RequestAborted);
        });
    }
}
