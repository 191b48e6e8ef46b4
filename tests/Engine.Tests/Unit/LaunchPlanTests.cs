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

        Assert.Equal(["bash", "-c", "agents-main", "/p/.ao-state/launch/main.env", "claude", "--model", "opus"], launch.Argv.Where((_, i) => i != 2));
        Assert.EndsWith("exec \"$@\" \"$(< \"$AGENTS_PROMPT_FILE\")\"", launch.Argv[2]);
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
        Assert.Equal(program, string.Join(' ', launch.Argv.Skip(5)));
    }

    [Fact]
    public void A_command_agent_runs_its_argv_as_written()
    {
        var launch = Plan(Specs.Agent(command: ["./run.sh", "a b", "$HOME", ";"]));

        Assert.Equal(["bash", "-c", "agents-main", "/p/.ao-state/launch/main.env", "./run.sh", "a b", "$HOME", ";"], launch.Argv.Where((_, i) => i != 2));
        Assert.EndsWith("\nexec \"$@\"", launch.Argv[2]);
        Assert.False(launch.Environment.ContainsKey("AGENTS_PROMPT_FILE"));
    }

    [Fact]
    public void The_agents_own_env_wins_over_all_but_the_marks_that_find_its_processes()
    {
        var agent = Specs.Agent() with { Env = new Dictionary<string, string> { ["PATH"] = "/opt/bin", ["X"] = "1", ["AGENTS_PROJECT_DIR"] = "/q" }, Workdir = "sub" };
        var launch = Plan(agent);

        Assert.Equal("/opt/bin", launch.Environment["PATH"]);
        Assert.Equal("1", launch.Environment["X"]);
        Assert.Equal("/q", launch.Environment["AGENTS_PROJECT_DIR"]);
        Assert.Equal("main", launch.Environment["AGENTS_NAME"]);
        Assert.Equal("/p", launch.Environment["AGENTS_OWNER"]);
        Assert.Equal("/p/sub", launch.WorkingDirectory);
    }

    [Fact]
    public void No_environment_value_is_on_the_command_line()
    {
        var agent = Specs.Agent(command: ["./run.sh"]) with { Env = new Dictionary<string, string> { ["API_KEY"] = "s3cret" } };
        var launch = Plan(agent);

        Assert.Equal("s3cret", launch.Environment["API_KEY"]);
        Assert.DoesNotContain(launch.Argv, word => word.Contains("s3cret") || word.Contains("/usr/bin:/bin"));
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
