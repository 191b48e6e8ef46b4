using TestSupport;

namespace Engine.Tests.EndToEnd;

public sealed class LifecycleTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "worker"
        kind = "persistent"
        backend = "command"
        command = ["./worker.sh", "--flag;"]
        watch = "heal"

        [[agent]]
        name = "idle"
        kind = "persistent"
        backend = "command"
        command = ["sleep", "1000"]
        watch = "heal"
        """);

    public LifecycleTests() =>
        _project.Script("worker.sh", "echo \"worker up: $1 in $(pwd) as $AGENTS_NAME\"\nexec sleep 1000");

    [Fact]
    public void Up_starts_each_agent_in_its_own_marked_session_and_down_stops_them_and_the_watchdog()
    {
        var up = _project.Succeeds("up");
        Assert.Contains("worker: started", up.Out);
        Assert.Contains("watchdog: started", up.Out);

        foreach (var name in new[] { "worker", "idle" })
        {
            var agent = _project.Agent(name);
            Assert.Equal("running", EngineProject.State(agent));
            Assert.True(Processes.IsAlive(EngineProject.Pid(agent)!.Value));
            Assert.Equal(_project.Session(name), agent.GetProperty("session").GetString());
            Assert.True(_project.SessionExists(name));
        }
        var owner = _project.Tmux.Run("show-options", "-v", "-t", "=" + _project.Session("worker") + ":", "@ao_owner");
        Assert.Equal(_project.Dir, owner.Out.Trim());

        // Argument arrays reach the agent as they were written, even a trailing ';' that tmux treats specially.
        EngineProject.WaitUntil(() => _project.Log("worker").Contains($"worker up: --flag; in {_project.Dir} as worker"),
            TimeSpan.FromSeconds(10), "the worker's first line in its log");
        Assert.Contains("worker up", _project.Succeeds("logs", "worker").Out);
        Assert.Equal("running", _project.Status().GetProperty("watchdog").GetProperty("state").GetString());
        var watchdog = _project.WatchdogPid()!.Value;

        var down = _project.Succeeds("down");
        Assert.Contains("worker: stopped", down.Out);
        Assert.False(_project.SessionExists("worker"));
        Assert.False(_project.SessionExists("idle"));
        Assert.False(Processes.IsAlive(watchdog));
        Assert.False(File.Exists(Engine.Agents.Tmux.TmuxSocket.PathOf(_project.Tmux.Socket)), "the ended server's socket file was left behind");
        var status = _project.Status();
        Assert.Equal("stopped", status.GetProperty("watchdog").GetProperty("state").GetString());
        Assert.All(status.GetProperty("agents").EnumerateArray(), a => Assert.Equal("stopped", EngineProject.State(a)));
    }

    [Fact]
    public void Up_twice_keeps_the_running_agents_and_the_watchdog()
    {
        _project.Succeeds("up");
        var pids = new[] { "worker", "idle" }.Select(n => EngineProject.Pid(_project.Agent(n))).ToList();
        var watchdog = _project.WatchdogPid();

        var again = _project.Succeeds("up");

        Assert.Contains("worker: running", again.Out);
        Assert.Contains("kept", again.Out);
        Assert.Equal(pids, new[] { "worker", "idle" }.Select(n => EngineProject.Pid(_project.Agent(n))).ToList());
        Assert.Equal(watchdog, _project.WatchdogPid());
        Assert.Single(_project.Tmux.Sessions(), s => s == _project.Session("worker"));
    }

    [Fact]
    public void Two_ups_at_once_start_each_agent_once_and_one_watchdog()
    {
        var ups = Enumerable.Range(0, 2).Select(_ => Task.Run(() => _project.Run("up"))).ToArray();

        Assert.All(ups, up => Assert.Equal(0, up.Result.ExitCode));
        Assert.Single(_project.Tmux.Sessions(), s => s == _project.Session("worker"));
        var config = Path.Combine(_project.Dir, "agents.toml");
        EngineProject.WaitUntil(() => Processes.Matching("_watchdog", config).Count == 1, TimeSpan.FromSeconds(5),
            "a single watchdog for the project");
        Assert.Equal(_project.WatchdogPid(), Processes.Matching("_watchdog", config).Single());
    }

    [Fact]
    public void Down_of_one_agent_stops_only_it_and_the_watchdog_does_not_bring_it_back()
    {
        _project.Succeeds("up");

        _project.Succeeds("down", "idle");

        Assert.False(_project.SessionExists("idle"));
        Assert.True(_project.SessionExists("worker"));
        Thread.Sleep(_project.WatchdogInterval * 3);
        Assert.False(_project.SessionExists("idle"));
        Assert.Equal("stopped", EngineProject.State(_project.Agent("idle")));
        Assert.Equal("running", _project.Status().GetProperty("watchdog").GetProperty("state").GetString());
    }

    [Fact]
    public void Down_leaves_a_session_it_did_not_create_alone()
    {
        var unrelated = _project.Prefix + "unrelated";
        _project.Tmux.NewSession(unrelated, "sleep", "1000");
        _project.Succeeds("up", "idle");

        _project.Succeeds("down");

        Assert.True(_project.Tmux.SessionExists(unrelated));
        Assert.False(_project.SessionExists("idle"));
    }

    [Fact]
    public void Down_stops_everything_the_project_started_even_when_agents_toml_is_broken()
    {
        _project.Succeeds("up");
        var watchdog = _project.WatchdogPid()!.Value;
        _project.Write("agents.toml", "session_prefix = \"unterminated\n");

        var down = _project.Run("down");

        Assert.Equal(0, down.ExitCode);
        Assert.StartsWith("agents.toml:1:", down.Err);
        Assert.Contains("stopping everything this project started anyway", down.Err);
        Assert.False(_project.SessionExists("worker"));
        Assert.False(_project.SessionExists("idle"));
        Assert.False(Processes.IsAlive(watchdog));
    }

    public void Dispose() => _project.Dispose();
}
