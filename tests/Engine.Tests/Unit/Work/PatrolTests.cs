using Engine.Agents.Work.Model;

namespace Engine.Tests.Unit.Work;

public sealed class PatrolTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, true, "running")]
    [InlineData(599, true, "running")]
    [InlineData(600, true, "stale")]
    [InlineData(3599, true, "stale")]
    [InlineData(3600, true, "stopped")]
    [InlineData(5, false, "stopped")]
    public void Heartbeats_are_running_stale_or_stopped(int silentSeconds, bool processAlive, string expected) =>
        Assert.Equal(expected, HeartbeatThresholds.Default.Classify(Now.AddSeconds(-silentSeconds), processAlive, Now).Name());

    [Fact]
    public void Thresholds_are_configurable_and_no_heartbeat_means_stopped()
    {
        var quick = new HeartbeatThresholds(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal(Liveness.Stale, quick.Classify(Now.AddSeconds(-3), true, Now));
        Assert.Equal(Liveness.Stopped, quick.Classify(null, true, Now));
    }

    [Fact]
    public void A_paused_project_starts_nothing_and_says_how_to_resume()
    {
        var refusal = Patrol.RefuseStart(true, "5 tasks failed in a row", 0, null);
        Assert.Contains("paused (5 tasks failed in a row)", refusal);
        Assert.Contains("agents resume", refusal);
    }

    [Theory]
    [InlineData(9.99, 10.0, false)]
    [InlineData(10.0, 10.0, true)]
    [InlineData(12.5, 10.0, true)]
    public void The_daily_budget_stops_new_work_once_reached(double spent, double budget, bool refused)
    {
        var refusal = Patrol.RefuseStart(false, null, spent, budget);
        Assert.Equal(refused, refusal is not null);
        if (refused)
            Assert.Contains("max_budget_per_day $10.00", refusal);
        Assert.Null(Patrol.RefuseStart(false, null, 1000, null));
    }

    [Theory]
    [InlineData(4, 5, false)]
    [InlineData(5, 5, true)]
    [InlineData(9, 0, false)]
    public void The_project_pauses_after_the_configured_failures_in_a_row(int inARow, int limit, bool pauses)
    {
        var reason = Patrol.PauseAfter(inARow, limit, "t9: the gate failed");
        Assert.Equal(pauses, reason is not null);
        if (pauses)
            Assert.Equal($"{inARow} tasks failed in a row, the last t9: the gate failed", reason);
    }
}
