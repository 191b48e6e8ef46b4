using System.Text.Json;

namespace Engine.Tests.EndToEnd;

/// <summary>
/// Everything an agent starts ends with it: what it detached with setsid or nohup, and a subshell that
/// ignores HUP and TERM. Each agent's env carries a variable of this test's own, which every process
/// it starts inherits, so the test finds them in /proc without trusting the engine's own marks.
/// </summary>
public sealed class ProcessTreeTests : IDisposable
{
    private readonly string _tree = Guid.NewGuid().ToString("N");
    private readonly EngineProject _project;

    public ProcessTreeTests()
    {
        _project = new EngineProject($$"""
            [[agent]]
            name = "escaper"
            kind = "persistent"
            backend = "command"
            command = ["./escape.sh"]
            watch = "heal"
            env = { TEST_TREE = "{{_tree}}-escaper" }

            [[agent]]
            name = "other"
            kind = "persistent"
            backend = "command"
            command = ["./escape.sh"]
            watch = "heal"
            env = { TEST_TREE = "{{_tree}}-other" }

            [[agent]]
            name = "leaver"
            kind = "oneshot"
            backend = "command"
            command = ["./leave.sh"]
            watch = "none"
            env = { TEST_TREE = "{{_tree}}-leaver" }
            """);
        _project.Script("escape.sh", """
            setsid sleep 1000 >/dev/null 2>&1 &
            nohup sleep 1000 >/dev/null 2>&1 &
            (trap '' HUP TERM; while :; do sleep 1; done) &
            echo escaped
            exec sleep 1000
            """);
        // Ends only once its detached child runs in a session of its own, out of reach of the pane's hangup.
        _project.Script("leave.sh", """
            setsid sh -c 'echo $$ > left.pid; exec sleep 1000' >/dev/null 2>&1 &
            while [ ! -s left.pid ]; do sleep 0.05; done
            """);
    }

    /// <summary>Live processes whose environment holds TEST_TREE of this test's agent.</summary>
    private IReadOnlyList<int> Tree(string agent) =>
        [.. Processes.All().Where(pid => Processes.IsAlive(pid) && ("\0" + Processes.Environment(pid)).Contains($"\0TEST_TREE={_tree}-{agent}\0"))];

    private static IReadOnlyList<int> ReportedProcesses(JsonElement agent) =>
        [.. agent.GetProperty("processes").EnumerateArray().Select(p => p.GetInt32())];

    [Fact]
    public void Down_ends_what_agents_detached_with_setsid_and_nohup_and_a_subshell_that_ignores_hup_and_term()
    {
        _project.Succeeds("up", "escaper", "other");
        // The agent itself, two sleeps, the subshell (and now and then its sleep 1).
        EngineProject.WaitUntil(() => Tree("escaper").Count >= 4 && Tree("other").Count >= 4, TimeSpan.FromSeconds(15), "the agents' process trees");
        Assert.Subset(ReportedProcesses(_project.Agent("escaper")).ToHashSet(), Tree("escaper").Where(pid => Processes.CommandLine(pid).StartsWith("sleep 1000")).ToHashSet());

        var downOne = _project.Succeeds("down", "escaper");

        Assert.Empty(Tree("escaper"));
        Assert.True(Tree("other").Count >= 4, "down of one agent ended another's processes");
        Assert.Contains("processes: ended", downOne.Out);

        var down = _project.Succeeds("down");

        Assert.Empty(Tree("other"));
        var status = _project.Status();
        Assert.All(status.GetProperty("agents").EnumerateArray(), agent =>
        {
            Assert.Equal("stopped", EngineProject.State(agent));
            Assert.Empty(ReportedProcesses(agent));
        });
    }

    [Fact]
    public void Status_calls_an_agent_whose_processes_outlive_it_orphaned_until_down_ends_them()
    {
        _project.Succeeds("up", "leaver");
        // Until tmux has the pane's exit status, the ended oneshot reads as dead for a moment.
        EngineProject.WaitUntil(() => EngineProject.State(_project.Agent("leaver")) == "orphaned" && Tree("leaver").Count == 1,
            TimeSpan.FromSeconds(15), "the oneshot to end, leaving its detached sleep behind, and status to call it orphaned");

        var agent = _project.Agent("leaver");
        Assert.Equal("orphaned", EngineProject.State(agent));
        Assert.Equal(Tree("leaver"), ReportedProcesses(agent));
        Assert.Contains("leaver: its own process ended, but processes it started still run", _project.Succeeds("status").Out);

        _project.Succeeds("down", "leaver");

        Assert.Empty(Tree("leaver"));
        Assert.Equal("stopped", EngineProject.State(_project.Agent("leaver")));
    }

    public void Dispose()
    {
        _project.Dispose();
        foreach (var agent in new[] { "escaper", "other", "leaver" })
            foreach (var pid in Tree(agent))
                Processes.Kill(pid);
    }
}

/// <summary>An agent that starts another project's agents (as an operator's agent does) does not own them.</summary>
public sealed class NestedProjectTests : IDisposable
{
    private const string Sleeper = """
        [[agent]]
        name = "sleeper"
        backend = "command"
        command = ["sleep", "1000"]
        """;

    private readonly EngineProject _other = new(Sleeper);
    private readonly EngineProject _operator = new("""
        [[agent]]
        name = "operator"
        backend = "command"
        command = ["./start-other.sh"]
        """);

    public NestedProjectTests() =>
        _operator.Script("start-other.sh", $"'{EngineBuild.Launcher}' up --config '{Path.Combine(_other.Dir, "agents.toml")}' > other-up.log 2>&1\nexec sleep 1000");

    [Fact]
    public void Down_of_the_agents_project_leaves_the_other_projects_agents_and_watchdog_running()
    {
        _operator.Succeeds("up");
        EngineProject.WaitUntil(() => _other.WatchdogPid() is { } pid && Processes.IsAlive(pid) && _other.PanePid("sleeper") is not null,
            TimeSpan.FromSeconds(60), "the operator agent to start the other project");
        var watchdog = _other.WatchdogPid()!.Value;
        var sleeper = _other.PanePid("sleeper")!.Value;

        _operator.Succeeds("down");

        Assert.True(Processes.IsAlive(watchdog), "the other project's watchdog was ended with the agent that started it");
        Assert.True(Processes.IsAlive(sleeper), "the other project's agent was ended with the agent that started it");
        Assert.Equal("running", EngineProject.State(_other.Agent("sleeper")));
    }

    public void Dispose()
    {
        _operator.Dispose();
        _other.Dispose();
    }
}
