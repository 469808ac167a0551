namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>The rest of the request pipeline run with its answer held in memory, so that a fault step can spoil or drop it.</summary>
internal static class CapturedResponse
{
    /// <summary>Runs <paramref name="next"/> writing into a memory stream, then puts the real response body back.</summary>
    public static async Task<MemoryStream> RunAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        return captured;
    }
}
