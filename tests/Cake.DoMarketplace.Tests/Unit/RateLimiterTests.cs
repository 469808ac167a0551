using Cake.DoMarketplace.LocalCloud.Api;
using Microsoft.AspNetCore.Http;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class RateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTime time = new(Start);

    private static (bool Admitted, IHeaderDictionary Headers) Ask(RateLimiter limiter, string token = "a")
    {
        var response = new DefaultHttpContext().Response;
        var admitted = limiter.Admit(token, response);
        return (admitted, response.Headers);
    }

    [Fact]
    public void Every_answer_carries_the_hourly_figures_counting_down()
    {
        var limiter = new RateLimiter(5000, 250, time);

        var (admitted, first) = Ask(limiter);
        var (_, second) = Ask(limiter);

        Assert.True(admitted);
        Assert.Equal("5000", first["ratelimit-limit"]);
        Assert.Equal("4999", first["ratelimit-remaining"]);
        Assert.Equal("4998", second["ratelimit-remaining"]);
        Assert.Equal(Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), first["ratelimit-reset"]);
        Assert.False(first.ContainsKey("retry-after"));
    }

    [Fact]
    public void Over_the_minute_burst_a_request_is_refused_until_the_minute_ends()
    {
        var limiter = new RateLimiter(5000, 3, time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Ask(limiter).Admitted);
        }

        var (refused, headers) = Ask(limiter);
        Assert.False(refused);
        Assert.Equal("60", headers["retry-after"]);
        Assert.Equal("0", headers["ratelimit-remaining"]);

        time.Advance(TimeSpan.FromSeconds(20.5));
        Assert.Equal("40", Ask(limiter).Headers["retry-after"]); // 39.5 s rounded up

        time.Advance(TimeSpan.FromSeconds(39.5));
        var (again, after) = Ask(limiter);
        Assert.True(again);
        Assert.Equal("4996", after["ratelimit-remaining"]);
    }

    [Fact]
    public void Over_the_hourly_budget_a_request_waits_for_the_hour_and_then_the_budget_is_whole_again()
    {
        var limiter = new RateLimiter(2, 100, time);
        Assert.True(Ask(limiter).Admitted);
        time.Advance(TimeSpan.FromMinutes(10));
        var (_, last) = Ask(limiter);
        Assert.Equal("0", last["ratelimit-remaining"]);

        time.Advance(TimeSpan.FromMinutes(20));
        var (refused, headers) = Ask(limiter);
        Assert.False(refused);
        Assert.Equal("1800", headers["retry-after"]);
        Assert.Equal(Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers["ratelimit-reset"]);

        time.Advance(TimeSpan.FromMinutes(30));
        var (admitted, fresh) = Ask(limiter);
        Assert.True(admitted);
        Assert.Equal("1", fresh["ratelimit-remaining"]);
        Assert.Equal(Start.AddHours(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), fresh["ratelimit-reset"]);
    }

    [Fact]
    public void Refused_requests_do_not_count()
    {
        var limiter = new RateLimiter(10, 1, time);
        Assert.True(Ask(limiter).Admitted);
        Assert.False(Ask(limiter).Admitted);
        Assert.False(Ask(limiter).Admitted);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("8", Ask(limiter).Headers["ratelimit-remaining"]);
    }

    [Fact]
    public void Each_token_has_its_own_windows()
    {
        var limiter = new RateLimiter(5000, 1, time);
        Assert.True(Ask(limiter, "a").Admitted);
        Assert.False(Ask(limiter, "a").Admitted);

        var (admitted, headers) = Ask(limiter, "b");
        Assert.True(admitted);
        Assert.Equal("4999", headers["ratelimit-remaining"]);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
