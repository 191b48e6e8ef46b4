using Engine.Agents.Config;
using Engine.Agents.Scheduling;

namespace Engine.Tests.Unit;

public sealed class SchedulingTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 10, 17, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("5s", 5)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("1.5s", 1.5)]
    public void Durations_parse(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("m")]
    [InlineData("0s")]
    [InlineData("5 s")]
    [InlineData("1w")]
    public void Durations_reject_what_is_not_one(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void An_interval_wake_comes_one_interval_later()
    {
        var schedule = WakeSchedule.TryParse("30m", Utc, out _)!;
        Assert.Equal(Monday.AddMinutes(30), schedule.Next(Monday));
    }

    [Theory]
    [InlineData("* * * * *", "2025-03-03T10:18:00")]
    [InlineData("*/15 * * * *", "2025-03-03T10:30:00")]
    [InlineData("0 9 * * *", "2025-03-04T09:00:00")]
    [InlineData("0 9 * * 1-5", "2025-03-04T09:00:00")]
    [InlineData("0 9 * * sat,sun", "2025-03-08T09:00:00")]
    [InlineData("0 0 1 * *", "2025-04-01T00:00:00")]
    [InlineData("30 10 * mar mon", "2025-03-03T10:30:00")]
    [InlineData("0 12 29 2 *", "2028-02-29T12:00:00")]
    [InlineData("5 4 * * 7", "2025-03-09T04:05:00")]
    [InlineData("0 8-10/2 * * *", "2025-03-04T08:00:00")]
    public void Cron_lines_give_the_next_matching_minute(string line, string expected)
    {
        var schedule = WakeSchedule.TryParse(line, Utc, out var error);
        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected + "Z"), schedule!.Next(Monday));
    }

    [Fact]
    public void With_both_day_fields_restricted_either_one_matches()
    {
        // The 15th of March 2025 is a Saturday; the first Friday after Monday the 3rd is the 7th.
        var schedule = WakeSchedule.TryParse("0 6 15 * fri", Utc, out _)!;
        Assert.Equal(new DateTimeOffset(2025, 3, 7, 6, 0, 0, TimeSpan.Zero), schedule.Next(Monday));
    }

    [Fact]
    public void Cron_uses_the_given_time_zone()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        var schedule = WakeSchedule.TryParse("0 9 * * *", zone, out _)!;
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 9, 0, 0, TimeSpan.FromHours(2)), schedule.Next(Monday));
    }

    [Theory]
    [InlineData("soon", "neither an interval")]
    [InlineData("* * * *", "has 4")]
    [InlineData("61 * * * *", "minute '61' is not a number from 0 to 59")]
    [InlineData("* 5-2 * * *", "hour range '5-2' runs backwards")]
    [InlineData("*/0 * * * *", "step in '*/0' must be a positive number")]
    [InlineData("* * * foo *", "month 'foo'")]
    public void Bad_wakes_say_why(string text, string reason)
    {
        Assert.Null(WakeSchedule.TryParse(text, Utc, out var error));
        Assert.Contains(reason, error);
    }
}
