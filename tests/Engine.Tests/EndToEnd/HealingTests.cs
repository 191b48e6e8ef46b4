using System.Diagnostics;
using System.Text.Json;

namespace Engine.Tests.EndToEnd;

public sealed class HealingTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "sleeper"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        watch = "heal"
        """, watchdogIntervalSeconds: 1);

    [Fact]
    public void A_killed_agent_is_back_within_two_watchdog_intervals_with_a_new_pid_and_a_counted_restart()
    {
        _project.Succeeds("up");
        var first = _project.PanePid("sleeper")!.Value;

        Processes.Kill(first);
        var clock = Stopwatch.StartNew();
        var second = EngineProject.WaitFor(() => _project.PanePid("sleeper") is { } pid && pid != first ? pid : (int?)null,
            _project.WatchdogInterval * 4, "the sleeper to be restarted");
        var took = clock.Elapsed;

        Assert.True(took < _project.WatchdogInterval * 2, $"restart took {took.TotalSeconds:0.00} s");
        var agent = _project.Agent("sleeper");
        Assert.Equal("running", EngineProject.State(agent));
        Assert.Equal(second, EngineProject.Pid(agent));
        Assert.Equal(1, agent.GetProperty("restarts").GetInt32());
        Assert.True(Processes.IsAlive(second));
    }

    public void Dispose() => _project.Dispose();
}

public sealed class CrashloopTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "crasher"
        kind = "persistent"
        backend = "command"
        command = ["sh", "-c", "echo crashing; exit 3"]
        watch = "heal"
        """);

    [Fact]
    public void An_agent_that_keeps_crashing_at_once_ends_in_crashloop_and_is_left_down()
    {
        _project.Succeeds("up");

        EngineProject.WaitUntil(() => EngineProject.State(_project.Agent("crasher")) == "crashloop",
            TimeSpan.FromSeconds(30), "the crasher to be marked crashloop");
        var agent = _project.Agent("crasher");
        var restarts = agent.GetProperty("restarts").GetInt32();
        Assert.Equal(4, restarts);
        // tmux now and then marks a pane dead without ever learning its exit status; the engine then reports
        // the code as unknown (null), as documented. Every code it does report must be the crasher's own.
        var lastExitCode = agent.GetProperty("last_exit_code");
        Assert.True(lastExitCode.ValueKind == JsonValueKind.Null || lastExitCode.GetInt32() == 3, $"last_exit_code {lastExitCode}");
        var log = File.ReadAllText(Path.Combine(_project.Dir, ".ao-state", "watchdog.log"));
        Assert.Contains("(exit 3)", log);
        Assert.DoesNotMatch(@"\(exit (?!3\))\d+\)", log);

        Thread.Sleep(_project.WatchdogInterval * 4);
        agent = _project.Agent("crasher");
        Assert.Equal("crashloop", EngineProject.State(agent));
        Assert.Equal(restarts, agent.GetProperty("restarts").GetInt32());
        Assert.Contains("crashloop", File.ReadAllText(Path.Combine(_project.Dir, ".ao-state", "watchdog.log")));
    }

    public void Dispose() => _project.Dispose();
}

public sealed class OneshotTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "done"
        kind = "oneshot"
        backend = "command"
        command = ["sh", "-c", "echo finished"]
        watch = "heal"

        [[agent]]
        name = "failed"
        kind = "oneshot"
        backend = "command"
        command = ["sh", "-c", "exit 7"]
        watch = "none"
        """);

    [Fact]
    public void A_oneshot_that_succeeds_is_stopped_and_one_that_fails_unwatched_is_dead()
    {
        _project.Succeeds("up");

        EngineProject.WaitUntil(() => EngineProject.State(_project.Agent("done")) == "stopped", TimeSpan.FromSeconds(10), "done to finish");
        EngineProject.WaitUntil(() => EngineProject.State(_project.Agent("failed")) == "dead", TimeSpan.FromSeconds(10), "failed to die");
        Thread.Sleep(_project.WatchdogInterval * 3);

        var done = _project.Agent("done");
        Assert.Equal("stopped", EngineProject.State(done));
        Assert.Equal(0, done.GetProperty("restarts").GetInt32());
        var failed = _project.Agent("failed");
        Assert.Equal("dead", EngineProject.State(failed));
        Assert.Equal(7, failed.GetProperty("last_exit_code").GetInt32());
        Assert.Equal(0, failed.GetProperty("restarts").GetInt32());
        Assert.Contains("finished", _project.Log("done"));
    }

    public void Dispose() => _project.Dispose();
}
