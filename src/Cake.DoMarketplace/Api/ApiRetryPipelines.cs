using System.Net;
using Cake.Core.Diagnostics;
using Cake.DoMarketplace.Diagnostics;
using Polly;
using Polly.Retry;

namespace Cake.DoMarketplace.Api;

/// <summary>
/// Retry policies of the API client (Polly). GET and DELETE are retried on 429, 5xx and connection errors, and so are
/// the tag requests (a tag created or applied twice is the same tag); other POSTs only on 429, which the API sends
/// before doing anything, so a retried create can never make a second droplet.
/// Server hints win over backoff: <c>retry-after</c>, else <c>ratelimit-reset</c> when <c>ratelimit-remaining</c> is 0.
/// A success with an unusable body (<see cref="DoApiProtocolException"/>) is never retried: the server would send it again.
/// </summary>
internal sealed class ApiRetryPipelines
{
    private static readonly TimeSpan LongestServerHint = TimeSpan.FromMinutes(5);
    private readonly ResiliencePipeline<HttpResponseMessage> safe;
    private readonly ResiliencePipeline<HttpResponseMessage> unsafeMethods;

    public ApiRetryPipelines(DoApiOptions options, ICakeLog? log)
    {
        safe = Build(options, log, retryServerErrors: true);
        unsafeMethods = Build(options, log, retryServerErrors: false);
    }

    public ResiliencePipeline<HttpResponseMessage> For(HttpMethod method, string path) =>
        method == HttpMethod.Get || method == HttpMethod.Delete || method == HttpMethod.Head || IsTagRequest(path) ? safe : unsafeMethods;

    private static bool IsTagRequest(string path) => path == "v2/tags" || path.StartsWith("v2/tags/", StringComparison.Ordinal);

    private static ResiliencePipeline<HttpResponseMessage> Build(DoApiOptions options, ICakeLog? log, bool retryServerErrors)
    {
        if (options.MaxRetries <= 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }

        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryWaitMin,
                MaxDelay = options.RetryWaitMax,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, retryServerErrors, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(ServerHint(args.Outcome.Result, DateTimeOffset.UtcNow)),
                OnRetry = args =>
                {
                    var why = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : args.Outcome.Exception?.GetType().Name;
                    log?.Warn($"DigitalOcean API answered {why}; retry {args.AttemptNumber + 1}/{options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0}s");
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, bool retryServerErrors, CancellationToken callerToken)
    {
        if (outcome.Result is { } response)
        {
            return OutcomeClassifier.IsTransient(response.StatusCode, retryServerErrors);
        }

        // A lost answer: safe to resend only for requests that may be repeated (reads, deletes).
        return retryServerErrors && outcome.Exception is { } e && OutcomeClassifier.IsUnknownOutcome(e, callerToken);
    }

    /// <summary>The delay the server asked for, or null to use exponential backoff.</summary>
    internal static TimeSpan? ServerHint(HttpResponseMessage? response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }

        TimeSpan? hint = null;
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            hint = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : null);
        }
        else if (response.StatusCode == HttpStatusCode.TooManyRequests
                 && RateLimitStatus.FromHeaders(response, now) is { Remaining: 0, ResetsAt: { } reset })
        {
            hint = reset - now;
        }

        if (hint is null)
        {
            return null;
        }

        return hint < TimeSpan.Zero ? TimeSpan.Zero : hint > LongestServerHint ? LongestServerHint : hint;
    }
}
