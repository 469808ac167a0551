using Cake.DoMarketplace.LocalCloud.Faults;

namespace Cake.DoMarketplace.LocalCloud.Api;

/// <summary>
/// The <see cref="FaultOptions.MalformedAnswers"/> step: the endpoint runs as usual into a buffer, then its answer is
/// sent spoiled (<see cref="MalformedBodies"/>), so no endpoint knows about these faults.
/// </summary>
internal static class MalformedAnswers
{
    private static readonly byte[] PaddingChunk = Enumerable.Repeat((byte)'x', 64 * 1024).ToArray();

    public static void Use(WebApplication app, FaultInjector faults, ILogger log)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/local-cloud")
                || faults.TakeMalformedAnswer(request.Method, request.Path + request.QueryString) is not { } kind)
            {
                await next(context);
                return;
            }

            var original = context.Response.Body;
            using var captured = await CapturedResponse.RunAsync(context, next);

            if (context.RequestAborted.IsCancellationRequested)
            {
                // Another fault (a lost create response) already cut the connection.
                faults.ReturnMalformedAnswer();
                return;
            }

            var answer = new CapturedAnswer(context.Response.StatusCode, context.Response.ContentType, captured.ToArray());
            if (MalformedBodies.Spoil(kind, answer, request.Path) is not { } spoiled)
            {
                faults.ReturnMalformedAnswer();
                await original.WriteAsync(answer.Body, context.RequestAborted);
                return;
            }

            log.MalformedAnswer(request.Method, request.Path, kind, answer.Status);
            await WriteAsync(context.Response, spoiled, context.RequestAborted);
        });
    }

    private static async Task WriteAsync(HttpResponse response, SpoiledAnswer spoiled, CancellationToken cancellationToken)
    {
        response.StatusCode = spoiled.Status;
        response.ContentType = spoiled.ContentType;

        // A huge body goes without a length, chunked, as a streaming server would send it: the client cannot refuse it
        // by its header and must stop reading by itself.
        response.ContentLength = spoiled.Padding > 0 ? null : spoiled.Head.Length;
        try
        {
            await response.Body.WriteAsync(spoiled.Head, cancellationToken);
            for (var left = spoiled.Padding; left > 0 && !cancellationToken.IsCancellationRequested; left -= PaddingChunk.Length)
            {
                await response.Body.WriteAsync(PaddingChunk.AsMemory(0, (int)Math.Min(left, PaddingChunk.Length)), cancellationToken);
            }

            if (spoiled.Tail is { } tail)
            {
                await response.Body.WriteAsync(tail, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client stopped reading, as it should for a huge body.
        }
    }
}
