using Cake.DoMarketplace.LocalCloud.State;

namespace Cake.DoMarketplace.LocalCloud.Api;

internal static class OutcomeResults
{
    public static IResult ToResult<T>(this Outcome<T> outcome, Func<T, object> body)
        where T : class =>
        outcome.Value is null ? ApiError.Create(outcome.Status, outcome.ErrorId!, outcome.Message!)
        : outcome.Status == StatusCodes.Status204NoContent ? Results.NoContent()
        : Results.Json(body(outcome.Value), LocalCloudJson.Options, statusCode: outcome.Status);

    public static IResult Json(object body, int status = StatusCodes.Status200OK) => Results.Json(body, LocalCloudJson.Options, statusCode: status);
}
