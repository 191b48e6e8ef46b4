namespace Engine.Tests.EndToEnd;

public sealed class AdoptionTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "one"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        watch = "heal"

        [[agent]]
        name = "two"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1001"]
        watch = "heal"
        """);

    [Fact]
    public void After_the_watchdog_is_killed_up_adopts_the_live_agents_and_a_new_watchdog_heals_them()
    {
        _project.Succeeds("up");
        var pids = new[] { "one", "two" }.Select(_project.PanePid).ToList();
        var crashed = _project.WatchdogPid()!.Value;

        Processes.Kill(crashed);
        EngineProject.WaitUntil(() => !Processes.IsAlive(crashed), TimeSpan.FromSeconds(5), "the watchdog to die");
        Assert.Equal("stopped", _project.Status().GetProperty("watchdog").GetProperty("state").GetString());
        Assert.Equal("running", EngineProject.State(_project.Agent("one")));

        var up = _project.Succeeds("up");

        Assert.Contains("one: running", up.Out);
        Assert.Contains("watchdog: started", up.Out);
        Assert.Equal(pids, new[] { "one", "two" }.Select(_project.PanePid).ToList());
        var replacement = _project.WatchdogPid()!.Value;
        Assert.NotEqual(crashed, replacement);

        // The new watchdog looks after the adopted agents as its own.
        Processes.Kill(pids[0]!.Value);
        EngineProject.WaitUntil(() => _project.PanePid("one") is { } pid && pid != pids[0], TimeSpan.FromSeconds(10),
            "the adopted agent to be healed");
        Assert.Equal(1, _project.Agent("one").GetProperty("restarts").GetInt32());
    }

    [Fact]
    public void A_watchdog_that_stops_beating_is_reported_stale_and_replaced_by_up()
    {
        _project.Succeeds("up");
        var hung = _project.WatchdogPid()!.Value;

        Processes.Signal(hung, "STOP");
        try
        {
            EngineProject.WaitUntil(() => _project.Status().GetProperty("watchdog").GetProperty("state").GetString() == "stale",
                TimeSpan.FromSeconds(10), "the watchdog to be reported stale");

            var up = _project.Succeeds("up");

            Assert.Contains("replacing a stale one", up.Out);
            Assert.NotEqual(hung, _project.WatchdogPid());
            Assert.False(Processes.IsAlive(hung));
        }
        finally
        {
            if (Processes.IsAlive(hung))
                Processes.Signal(hung, "CONT");
        }
    }

    public void Dispose() => _project.Dispose();
}
