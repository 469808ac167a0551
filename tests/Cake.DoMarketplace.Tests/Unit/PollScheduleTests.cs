using Cake.DoMarketplace.Diagnostics;

namespace Cake.DoMarketplace.Tests.Unit;

public sealed class PollScheduleTests
{
    public static TheoryData<string, double, double> Presets => new()
    {
        { nameof(PollSchedule.Api), 0.5, 5 },
        { nameof(PollSchedule.Local), 0.2, 2 },
        { nameof(PollSchedule.Reboot), 1, 5 },
    };

    private static PollSchedule Preset(string name) => name switch
    {
        nameof(PollSchedule.Api) => PollSchedule.Api,
        nameof(PollSchedule.Local) => PollSchedule.Local,
        _ => PollSchedule.Reboot,
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void Presets_start_fast_and_grow_by_half_up_to_their_cap(string name, double firstSeconds, double maxSeconds)
    {
        var schedule = Preset(name);

        Assert.Equal(TimeSpan.FromSeconds(firstSeconds), schedule.First);
        Assert.Equal(TimeSpan.FromSeconds(maxSeconds), schedule.Max);
        Assert.Equal(1.5, schedule.Factor);
    }

    [Fact]
    public void Unchanged_state_grows_the_delay_by_the_factor_until_the_cap_then_stays()
    {
        var schedule = PollSchedule.Api;
        var delays = new List<TimeSpan> { schedule.First };
        for (var i = 0; i < 10; i++)
        {
            delays.Add(schedule.Next(delays[^1], stateChanged: false));
        }

        Assert.Equal(
            new[] { 500, 750, 1125, 1687.5, 2531.25, 3796.875, 5000, 5000, 5000, 5000, 5000 },
            delays.Select(d => d.TotalMilliseconds).ToArray());
    }

    [Fact]
    public void A_state_change_starts_again_from_the_first_delay()
    {
        var schedule = PollSchedule.Reboot;

        Assert.Equal(schedule.First, schedule.Next(schedule.Max, stateChanged: true));
        Assert.Equal(schedule.First, schedule.Next(TimeSpan.FromSeconds(3), stateChanged: true));
    }

    [Fact]
    public void A_custom_schedule_caps_even_a_current_delay_above_its_max()
    {
        var schedule = new PollSchedule(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(2), schedule.Next(TimeSpan.FromSeconds(1), false));
        Assert.Equal(TimeSpan.FromSeconds(3), schedule.Next(TimeSpan.FromSeconds(2), false));
        Assert.Equal(TimeSpan.FromSeconds(3), schedule.Next(TimeSpan.FromSeconds(10), false));
    }
}
