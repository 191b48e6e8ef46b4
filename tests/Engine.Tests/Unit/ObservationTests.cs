using Engine.Agents.Config;
using Engine.Agents.State;
using Engine.Agents.Supervision;
using Engine.Agents.Tmux;

namespace Engine.Tests.Unit;

public sealed class ObservationTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);
    private const string Owner = "/projects/a";

    private static TmuxPane Pane(string session, int pid = 10, bool dead = false, int? status = null, string owner = Owner) =>
        new(session, pid, dead, status, dead ? T0 : null, owner, "agents-a-12345678");

    private static PaneObservation Observe(TmuxPane[] panes, Func<int, long?>? alive = null) =>
        Observer.Observe(panes, "p-main", Owner, alive ?? (_ => 5L), _ => T0);

    [Fact]
    public void No_session_is_absent() => Assert.IsType<PaneObservation.Absent>(Observe([Pane("p-other")]));

    [Fact]
    public void A_session_with_another_owner_is_foreign() =>
        Assert.Equal(new PaneObservation.Foreign("/projects/b"), Observe([Pane("p-main", owner: "/projects/b")]));

    [Fact]
    public void A_live_pane_whose_process_lives_is_alive() =>
        Assert.Equal(new PaneObservation.Alive(10, 5, T0), Observe([Pane("p-main")]));

    [Fact]
    public void A_live_pane_whose_process_is_gone_or_a_zombie_is_ending() =>
        Assert.Equal(new PaneObservation.Ending(), Observe([Pane("p-main")], _ => null));

    [Fact]
    public void An_ending_agent_still_shows_running_until_tmux_has_its_exit_status()
    {
        var running = new AgentRecord { Name = "main", Wanted = true, Phase = AgentPhase.Running, Since = T0, Pid = 10 };
        Assert.Equal((AgentPhase.Running, T0, (int?)10), LiveState.OfAgent(Specs.Agent(), running, new PaneObservation.Ending()));
    }

    [Fact]
    public void A_dead_pane_has_exited_with_its_status() =>
        Assert.Equal(new PaneObservation.Exited(3, T0), Observe([Pane("p-main", dead: true, status: 3)]));

    [Fact]
    public void Status_shows_what_is_seen_over_what_was_recorded()
    {
        var agent = Specs.Agent();
        var running = new AgentRecord { Name = "main", Wanted = true, Phase = AgentPhase.Running, Since = T0, Pid = 10 };

        Assert.Equal((AgentPhase.Running, T0, 10), LiveState.OfAgent(agent, running, new PaneObservation.Alive(10, 5, T0.AddHours(-1))));
        Assert.Equal((AgentPhase.Dead, T0.AddMinutes(1), (int?)null),
            LiveState.OfAgent(agent, running, new PaneObservation.Exited(1, T0.AddMinutes(1))));
        Assert.Equal(AgentPhase.Stopped,
            LiveState.OfAgent(Specs.Agent(kind: AgentKind.Oneshot), running, new PaneObservation.Exited(0, T0)).State);
        Assert.Equal(AgentPhase.Stopped, LiveState.OfAgent(agent, null, PaneObservation.None).State);
        Assert.Equal(AgentPhase.Crashloop,
            LiveState.OfAgent(agent, running with { Phase = AgentPhase.Crashloop }, PaneObservation.None).State);
    }

    [Theory]
    [InlineData("Stopped", 0, "stopped")]
    [InlineData("Stopped", 2, "orphaned")]
    [InlineData("Dead", 2, "dead")]
    [InlineData("Running", 3, "running")]
    public void Status_never_calls_an_agent_stopped_while_processes_it_started_live(string state, int leftovers, string shown) =>
        Assert.Equal(shown, LiveState.Name(Enum.Parse<AgentPhase>(state), leftovers));

    [Fact]
    public void A_watchdog_is_stale_once_its_heartbeat_is_two_intervals_old()
    {
        var heartbeat = new WatchdogHeartbeat(1, 2, T0, T0, IntervalSeconds: 5, Program: "/cache/agents");

        Assert.Equal(WatchdogState.Running, LiveState.OfWatchdog(heartbeat, true, T0.AddSeconds(9)));
        Assert.Equal(WatchdogState.Stale, LiveState.OfWatchdog(heartbeat, true, T0.AddSeconds(11)));
        Assert.Equal(WatchdogState.Stopped, LiveState.OfWatchdog(heartbeat, false, T0));
        Assert.Equal(WatchdogState.Stopped, LiveState.OfWatchdog(null, true, T0));
    }
}
