namespace Engine.Tests.EndToEnd;

public sealed class WakeTests : IDisposable
{
    private readonly EngineProject _project = new("""
        [[agent]]
        name = "listener"
        kind = "persistent"
        backend = "command"
        command = ["./listen.sh"]
        watch = "heal"
        wake = "1s"
        wake_prompt = "prompts/wake.md"

        [[agent]]
        name = "tick"
        kind = "oneshot"
        backend = "command"
        command = ["sh", "-c", "echo ran >> runs.txt"]
        watch = "none"
        wake = "1s"
        """);

    public WakeTests()
    {
        _project.Script("listen.sh", "while read -r line; do echo \"heard: $line\"; done");
        _project.Write("prompts/wake.md", "time to check the queue\n");
    }

    [Fact]
    public void A_wake_types_the_wake_prompt_into_a_persistent_agent()
    {
        _project.Succeeds("up");

        EngineProject.WaitUntil(() => _project.Log("listener").Contains("heard: time to check the queue"),
            TimeSpan.FromSeconds(10), "the wake prompt to reach the listener");
        Assert.Equal("running", EngineProject.State(_project.Agent("listener")));
        Assert.Contains("listener: woken", File.ReadAllText(Path.Combine(_project.Dir, ".ao-state", "watchdog.log")));
    }

    [Fact]
    public void A_wake_starts_a_oneshot_agent_that_is_not_running()
    {
        _project.Succeeds("up", "tick");
        var runs = Path.Combine(_project.Dir, "runs.txt");

        EngineProject.WaitUntil(() => File.Exists(runs) && File.ReadAllLines(runs).Length >= 3,
            TimeSpan.FromSeconds(15), "the oneshot to have run three times");
        var agent = _project.Agent("tick");
        Assert.Equal(0, agent.GetProperty("restarts").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.String, agent.GetProperty("next_wake").ValueKind);
    }

    public void Dispose() => _project.Dispose();
}
