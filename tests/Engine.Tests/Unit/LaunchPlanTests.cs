using Engine.Agents.Config;
using Engine.Agents.Launching;
using Engine.Agents.State;
using Engine.Agents.Tmux;

namespace Engine.Tests.Unit;

public sealed class LaunchPlanTests
{
    private static readonly ProjectConfig Config = new("/p/agents.toml", "agents.toml", "/p", "proj-", TimeSpan.FromSeconds(5), []);

    private static AgentLaunch Plan(AgentSpec agent) => LaunchPlan.For(Config, agent, StateLayout.For("/p"), "/usr/bin:/bin");

    [Fact]
    public void A_claude_agent_gets_its_prompt_text_as_the_last_argument_read_from_the_file_at_start()
    {
        var launch = Plan(Specs.Agent(backend: Backend.Claude, prompt: "prompts/main.md", args: ["--model", "opus"]));

        Assert.Equal(["sh", "-c", "exec \"$@\" \"$(cat -- \"$AGENTS_PROMPT_FILE\")\"", "agents-main", "claude", "--model", "opus"], launch.Argv);
        Assert.Equal("/p/prompts/main.md", launch.Environment["AGENTS_PROMPT_FILE"]);
        Assert.Equal("proj-main", launch.Session);
        Assert.Equal("/p", launch.WorkingDirectory);
        Assert.Equal("/p/.ao-state/logs/main.log", launch.LogFile);
        Assert.Equal("/usr/bin:/bin", launch.Environment["PATH"]);
    }

    [Theory]
    [InlineData("Claude", "Oneshot", "claude -p")]
    [InlineData("Codex", "Persistent", "codex")]
    [InlineData("Codex", "Oneshot", "codex exec")]
    public void Oneshot_agents_use_the_backends_non_interactive_mode(string backend, string kind, string program)
    {
        var launch = Plan(Specs.Agent(backend: Enum.Parse<Backend>(backend), kind: Enum.Parse<AgentKind>(kind), prompt: "p.md"));
        Assert.Equal(program, string.Join(' ', launch.Argv.Skip(4)));
    }

    [Fact]
    public void A_command_agent_runs_its_argv_as_written()
    {
        var launch = Plan(Specs.Agent(command: ["./run.sh", "a b", "$HOME", ";"]));

        Assert.Equal(["sh", "-c", "exec \"$@\"", "agents-main", "./run.sh", "a b", "$HOME", ";"], launch.Argv);
        Assert.False(launch.Environment.ContainsKey("AGENTS_PROMPT_FILE"));
    }

    [Fact]
    public void The_agents_own_env_wins()
    {
        var agent = Specs.Agent() with { Env = new Dictionary<string, string> { ["PATH"] = "/opt/bin", ["X"] = "1" }, Workdir = "sub" };
        var launch = Plan(agent);

        Assert.Equal("/opt/bin", launch.Environment["PATH"]);
        Assert.Equal("1", launch.Environment["X"]);
        Assert.Equal("/p/sub", launch.WorkingDirectory);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(";", "\\;")]
    [InlineData("a;", "a\\;")]
    [InlineData("a\\;", "a\\\\;")]
    [InlineData("a;b", "a;b")]
    public void Arguments_ending_in_a_semicolon_are_escaped_for_tmux(string argument, string sent) =>
        Assert.Equal(sent, TmuxClient.EscapeSemicolon(argument));
}
