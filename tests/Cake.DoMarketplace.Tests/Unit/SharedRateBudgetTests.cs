using Cake.DoMarketplace.Api;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class SharedRateBudgetTests
{
    private static readonly Uri Api = new("https://api.digitalocean.com/");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // The budgets are process-wide; a fresh token per test keeps tests apart.
    private static SharedRateBudget Fresh() => SharedRateBudget.For("token-" + Guid.NewGuid().ToString("N"), Api);

    private static RateLimitStatus Status(int? remaining, DateTimeOffset? resetsAt, DateTimeOffset? observedAt = null) =>
        new(5000, remaining, resetsAt, observedAt ?? Now);

    [Fact]
    public void One_budget_per_token_and_api_address()
    {
        var token = "token-" + Guid.NewGuid().ToString("N");

        Assert.Same(SharedRateBudget.For(token, Api), SharedRateBudget.For(token, new Uri("https://api.digitalocean.com/")));
        Assert.NotSame(SharedRateBudget.For(token, Api), SharedRateBudget.For(token + "x", Api));
        Assert.NotSame(SharedRateBudget.For(token, Api), SharedRateBudget.For(token, new Uri("http://127.0.0.1:7117/")));
    }

    [Fact]
    public void Nothing_observed_means_no_wait()
    {
        var budget = Fresh();

        Assert.Null(budget.Latest);
        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now));
    }

    [Fact]
    public void An_accepted_answer_that_left_nothing_holds_requests_until_the_reset()
    {
        var budget = Fresh();
        budget.Observe(Status(0, Now.AddSeconds(42)), refused: false);

        Assert.Equal(TimeSpan.FromSeconds(42), budget.WaitBeforeRequest(Now));
        Assert.Equal(TimeSpan.FromSeconds(2), budget.WaitBeforeRequest(Now.AddSeconds(40)));
        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now.AddSeconds(42)));
        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now.AddMinutes(1)));
    }

    [Fact]
    public void The_wait_is_capped_at_five_minutes()
    {
        var budget = Fresh();
        budget.Observe(Status(0, Now.AddHours(1)), refused: false);

        Assert.Equal(TimeSpan.FromMinutes(5), budget.WaitBeforeRequest(Now));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4999)]
    public void Room_left_means_no_wait(int remaining)
    {
        var budget = Fresh();
        budget.Observe(Status(remaining, Now.AddMinutes(30)), refused: false);

        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now));
    }

    [Fact]
    public void A_refused_answer_does_not_hold_requests_its_retry_after_rules()
    {
        var budget = Fresh();
        budget.Observe(Status(0, Now.AddMinutes(30)), refused: true);

        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now));
        Assert.Equal(0, budget.Latest!.Remaining);
    }

    [Fact]
    public void Without_a_reset_time_there_is_nothing_to_wait_for()
    {
        var budget = Fresh();
        budget.Observe(Status(0, null), refused: false);

        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now));
    }

    [Fact]
    public void A_later_accepted_answer_with_room_lifts_the_hold()
    {
        var budget = Fresh();
        budget.Observe(Status(0, Now.AddMinutes(1)), refused: false);
        budget.Observe(Status(10, Now.AddMinutes(1), Now.AddSeconds(1)), refused: false);

        Assert.Equal(TimeSpan.Zero, budget.WaitBeforeRequest(Now.AddSeconds(1)));
    }

    [Fact]
    public void Latest_keeps_the_newest_observation_when_answers_arrive_out_of_order()
    {
        var budget = Fresh();
        var newer = Status(7, Now.AddMinutes(1), Now.AddSeconds(5));
        budget.Observe(newer, refused: false);
        budget.Observe(Status(9, Now.AddMinutes(1), Now), refused: false);

        Assert.Same(newer, budget.Latest);

        var newest = Status(6, Now.AddMinutes(1), Now.AddSeconds(6));
        budget.Observe(newest, refused: true);
        Assert.Same(newest, budget.Latest);
    }
}
