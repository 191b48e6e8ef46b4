using Engine.Agents.Config;
using Engine.Agents.State;
using Engine.Agents.Supervision;

namespace Engine.Tests.Unit;

public sealed class SupervisorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly RestartPolicy Policy = RestartPolicy.For(TimeSpan.FromSeconds(5));
    private static readonly PaneObservation Gone = new PaneObservation.Exited(1, T0);

    private static AgentRecord Running(int pid = 100, DateTimeOffset? startedAt = null, int fastCrashes = 0) => new()
    {
        Name = "main",
        Wanted = true,
        Phase = AgentPhase.Running,
        Since = startedAt ?? T0,
        Pid = pid,
        StartedAt = startedAt ?? T0,
        FastCrashes = fastCrashes,
    };

    private static PaneObservation.Alive Alive(int pid, DateTimeOffset? startedAt = null) => new(pid, 42, startedAt ?? T0);

    [Fact]
    public void An_ending_process_is_judged_once_tmux_has_its_exit_status()
    {
        var ending = Supervisor.Decide(Specs.Agent(), Running(), new PaneObservation.Ending(), T0.AddSeconds(5), Policy);
        Assert.Equal((Running(), SupervisorAction.None), (ending.Record, ending.Action));

        var exited = Supervisor.Decide(Specs.Agent(), Running(), new PaneObservation.Exited(7, T0.AddSeconds(5)), T0.AddSeconds(6), Policy);
        Assert.Equal(7, exited.Record.LastExitCode);
    }

    [Fact]
    public void An_agent_nobody_wants_is_left_alone()
    {
        var record = Running() with { Wanted = false };
        var decision = Supervisor.Decide(Specs.Agent(), record, Gone, T0.AddSeconds(5), Policy);
        Assert.Equal(new Decision(record, SupervisorAction.None), decision);
    }

    [Fact]
    public void A_session_of_someone_else_is_never_acted_on()
    {
        var decision = Supervisor.Decide(Specs.Agent(), Running(), new PaneObservation.Foreign("/other"), T0.AddSeconds(5), Policy);
        Assert.Equal(SupervisorAction.None, decision.Action);
    }

    [Fact]
    public void A_running_agent_stays_as_it_is()
    {
        var record = Running();
        var decision = Supervisor.Decide(Specs.Agent(), record, Alive(100), T0.AddSeconds(5), Policy);
        Assert.Equal(new Decision(record, SupervisorAction.None), decision);
    }

    [Fact]
    public void A_first_crash_restarts_at_once()
    {
        var now = T0.AddSeconds(10);
        var decision = Supervisor.Decide(Specs.Agent(), Running(), new PaneObservation.Exited(137, now), now, Policy);

        Assert.Equal(SupervisorAction.Restart, decision.Action);
        Assert.Equal(AgentPhase.Dead, decision.Record.Phase);
        Assert.Equal(137, decision.Record.LastExitCode);
        Assert.Equal(1, decision.Record.FastCrashes);
        Assert.Null(decision.Record.Pid);
    }

    [Fact]
    public void Further_fast_crashes_wait_longer_each_time()
    {
        var now = T0.AddSeconds(10);
        var decision = Supervisor.Decide(Specs.Agent(), Running(fastCrashes: 2), PaneObservation.None, now, Policy);

        Assert.Equal(SupervisorAction.None, decision.Action);
        Assert.Equal(3, decision.Record.FastCrashes);
        Assert.Equal(now + TimeSpan.FromSeconds(10), decision.Record.RestartAt);

        var later = Supervisor.Decide(Specs.Agent(), decision.Record, PaneObservation.None, now.AddSeconds(10), Policy);
        Assert.Equal(SupervisorAction.Restart, later.Action);
    }

    [Fact]
    public void The_fifth_fast_crash_in_a_row_is_a_crashloop_and_no_restart_follows()
    {
        var now = T0.AddSeconds(10);
        var decision = Supervisor.Decide(Specs.Agent(), Running(fastCrashes: 4), Gone, now, Policy);

        Assert.Equal(AgentPhase.Crashloop, decision.Record.Phase);
        Assert.Equal(SupervisorAction.None, decision.Action);
        var later = Supervisor.Decide(Specs.Agent(), decision.Record, Gone, now.AddHours(1), Policy);
        Assert.Equal(SupervisorAction.None, later.Action);
        Assert.Equal(AgentPhase.Crashloop, later.Record.Phase);
    }

    [Fact]
    public void A_crash_after_a_long_run_starts_the_count_afresh()
    {
        var decision = Supervisor.Decide(Specs.Agent(), Running(fastCrashes: 4), Gone, T0.AddMinutes(10), Policy);

        Assert.Equal(SupervisorAction.Restart, decision.Action);
        Assert.Equal(1, decision.Record.FastCrashes);
    }

    [Fact]
    public void Staying_up_past_the_fast_crash_window_clears_the_count()
    {
        var decision = Supervisor.Decide(Specs.Agent(), Running(fastCrashes: 3), Alive(100), T0.AddMinutes(2), Policy);
        Assert.Equal(0, decision.Record.FastCrashes);
    }

    [Fact]
    public void An_unwatched_agent_that_dies_stays_dead()
    {
        var decision = Supervisor.Decide(Specs.Agent(watch: WatchMode.None), Running(), Gone, T0.AddMinutes(1), Policy);

        Assert.Equal(SupervisorAction.None, decision.Action);
        Assert.Equal(AgentPhase.Dead, decision.Record.Phase);
        Assert.Null(decision.Record.RestartAt);
    }

    [Fact]
    public void A_oneshot_that_exits_0_is_finished_not_crashed()
    {
        var decision = Supervisor.Decide(Specs.Agent(kind: AgentKind.Oneshot), Running(), new PaneObservation.Exited(0, T0.AddSeconds(3)),
            T0.AddSeconds(4), Policy);

        Assert.Equal(SupervisorAction.None, decision.Action);
        Assert.Equal(AgentPhase.Stopped, decision.Record.Phase);
        Assert.Equal(T0.AddSeconds(3), decision.Record.Since);
    }

    [Fact]
    public void A_healed_oneshot_that_fails_is_restarted()
    {
        var decision = Supervisor.Decide(Specs.Agent(kind: AgentKind.Oneshot), Running(), Gone, T0.AddSeconds(4), Policy);
        Assert.Equal(SupervisorAction.Restart, decision.Action);
    }

    [Fact]
    public void A_due_wake_types_into_a_running_persistent_agent_and_is_rescheduled()
    {
        var now = T0.AddMinutes(31);
        var record = Running() with { NextWake = T0.AddMinutes(30) };

        var decision = Supervisor.Decide(Specs.Agent(wake: "30m"), record, Alive(100), now, Policy);

        Assert.Equal(SupervisorAction.TypeWake, decision.Action);
        Assert.Equal(now, decision.Record.LastWake);
        Assert.Equal(now.AddMinutes(30), decision.Record.NextWake);
    }

    [Fact]
    public void A_due_wake_starts_a_oneshot_that_is_not_running_but_not_one_that_is()
    {
        var now = T0.AddMinutes(31);
        var finished = Running() with { Phase = AgentPhase.Stopped, Pid = null, NextWake = T0.AddMinutes(30) };
        var oneshot = Specs.Agent(kind: AgentKind.Oneshot, wake: "30m");

        Assert.Equal(SupervisorAction.StartByWake, Supervisor.Decide(oneshot, finished, Gone, now, Policy).Action);
        var busy = Supervisor.Decide(oneshot, Running() with { NextWake = T0.AddMinutes(30) }, Alive(100), now, Policy);
        Assert.Equal(SupervisorAction.None, busy.Action);
        Assert.Equal(now.AddMinutes(30), busy.Record.NextWake);
    }

    [Fact]
    public void A_wake_is_first_scheduled_when_the_config_gains_one()
    {
        var decision = Supervisor.Decide(Specs.Agent(wake: "1h"), Running(), Alive(100), T0.AddSeconds(5), Policy);
        Assert.Equal(T0.AddSeconds(5).AddHours(1), decision.Record.NextWake);
        Assert.Equal(SupervisorAction.None, decision.Action);
    }

    [Fact]
    public void A_process_seen_under_a_new_pid_is_adopted()
    {
        var startedAt = T0.AddSeconds(30);
        var decision = Supervisor.Decide(Specs.Agent(), Running() with { Phase = AgentPhase.Dead, Pid = null }, Alive(200, startedAt),
            T0.AddSeconds(40), Policy);

        Assert.Equal(AgentPhase.Running, decision.Record.Phase);
        Assert.Equal(200, decision.Record.Pid);
        Assert.Equal(startedAt, decision.Record.Since);
    }

    [Fact]
    public void A_restart_counts_and_a_start_by_wake_does_not()
    {
        var dead = Running() with { Phase = AgentPhase.Dead, Pid = null, Restarts = 2 };
        Assert.Equal(3, Supervisor.Started(dead, 300, 7, T0, isRestart: true).Restarts);
        Assert.Equal(2, Supervisor.Started(dead, 300, 7, T0, isRestart: false).Restarts);
    }

    [Fact]
    public void Up_starts_afresh_and_down_stops_wanting()
    {
        var crashed = Running() with { Phase = AgentPhase.Crashloop, Restarts = 4, FastCrashes = 5 };

        var launched = Supervisor.Launched(Specs.Agent(), crashed, 500, 9, T0);
        Assert.Equal((AgentPhase.Running, 0, 0, true), (launched.Phase, launched.Restarts, launched.FastCrashes, launched.Wanted));

        var stopped = Supervisor.Stopped(launched, T0.AddSeconds(1));
        Assert.Equal((AgentPhase.Stopped, false, (int?)null), (stopped.Phase, stopped.Wanted, stopped.Pid));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 5)]
    [InlineData(3, 10)]
    [InlineData(4, 20)]
    [InlineData(30, 300)]
    public void Backoff_doubles_from_the_watchdog_interval_up_to_five_minutes(int crashesInARow, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Policy.DelayBefore(crashesInARow));
}
