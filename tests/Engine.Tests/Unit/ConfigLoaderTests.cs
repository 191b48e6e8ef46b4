using Engine.Agents.Config;
using Engine.Agents.Scheduling;
using Engine.Toml;

namespace Engine.Tests.Unit;

public sealed class ConfigLoaderTests
{
    private static ProjectConfig Read(string toml) =>
        ConfigLoader.Read(TomlDocument.Parse(toml, "agents.toml").Root, "/p/agents.toml", "agents.toml", "/p", TimeZoneInfo.Utc);

    private static string ErrorOf(string toml) => Assert.Throws<ConfigException>(() => Read(toml)).Message;

    private const string Minimal = """
        session_prefix = "p-"

        [[agent]]
        name = "main"
        backend = "claude"
        prompt = "prompts/main.md"
        """;

    [Fact]
    public void A_minimal_agent_gets_the_defaults()
    {
        var config = Read(Minimal);

        Assert.Equal("p-", config.SessionPrefix);
        Assert.Equal(TimeSpan.FromSeconds(5), config.WatchdogInterval);
        var agent = Assert.Single(config.Agents);
        Assert.Equal(("main", AgentKind.Persistent, Backend.Claude, WatchMode.Heal), (agent.Name, agent.Kind, agent.Backend, agent.Watch));
        Assert.Equal("prompts/main.md", agent.Prompt);
        Assert.Null(agent.Wake);
        Assert.Equal("p-main", config.SessionName(agent));
        Assert.Equal(new SourceLocation("agents.toml", 6, 10), agent.Where("prompt"));
    }

    [Fact]
    public void Every_key_is_read()
    {
        var config = Read("""
            session_prefix = "p-"
            watchdog_interval = "750ms"

            [[agent]]
            name = "tool"
            kind = "oneshot"
            backend = "command"
            command = ["./run.sh", "--fast"]
            prompt = "prompts/tool.md"
            watch = "none"
            wake = "0 9 * * 1-5"
            env = { A = "1", B_2 = "two" }
            workdir = "sub"

            [[agent]]
            name = "chat"
            backend = "codex"
            args = ["--model", "o4"]
            prompt = "prompts/chat.md"
            wake = "30m"
            wake_prompt = "prompts/wake.md"
            """);

        Assert.Equal(TimeSpan.FromMilliseconds(750), config.WatchdogInterval);
        var tool = config.Agents[0];
        Assert.Equal(["./run.sh", "--fast"], tool.Command);
        Assert.Equal((AgentKind.Oneshot, WatchMode.None, "sub"), (tool.Kind, tool.Watch, tool.Workdir));
        Assert.IsType<WakeSchedule.Cron>(tool.Wake);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B_2"] = "two" }, tool.Env);
        var chat = config.Agents[1];
        Assert.Equal(["--model", "o4"], chat.Args);
        Assert.Equal(TimeSpan.FromMinutes(30), Assert.IsType<WakeSchedule.Every>(chat.Wake).Interval);
        Assert.Equal("prompts/wake.md", chat.WakePrompt);
    }

    [Theory]
    [InlineData("kind = \"forever\"", "agents.toml:7:8: kind must be 'persistent' or 'oneshot', not 'forever'")]
    [InlineData("watch = true", "agents.toml:7:9: watch must be a string in quotes")]
    [InlineData("wake = \"soon\"", "agents.toml:7:8: wake: 'soon' is neither an interval")]
    [InlineData("wake = \"70 * * * *\"", "agents.toml:7:8: wake: minute '70' is not a number from 0 to 59")]
    [InlineData("colour = \"red\"", "agents.toml:7:1: unknown [[agent]] key 'colour'; the keys are name, kind")]
    [InlineData("command = [\"x\"]", "agents.toml:7:11: agent 'main': command is only for backend \"command\"")]
    [InlineData("env = { \"BAD-NAME\" = \"1\" }", "agents.toml:7:9: env name 'BAD-NAME' is not a valid")]
    [InlineData("env = { A = 1 }", "agents.toml:7:13: A must be a string in quotes")]
    [InlineData("env = { AGENTS_OWNER = \"/elsewhere\" }", "agents.toml:7:9: env: AGENTS_OWNER is set by the engine, to find every process the agent starts; remove it")]
    [InlineData("env = { AGENTS_NAME = \"x\" }", "agents.toml:7:9: env: AGENTS_NAME is set by the engine")]
    [InlineData("env = { A = \"a\\u0000b\" }", "agents.toml:7:13: env: the value of A holds a NUL character")]
    [InlineData("wake_prompt = \"w.md\"", "agents.toml:7:15: agent 'main' has a wake_prompt but no wake")]
    [InlineData("prompt = \"\"", "agents.toml:6:10: prompt is empty")]
    public void Agent_mistakes_point_at_their_line_and_column(string extraLine, string expected)
    {
        var toml = Minimal.Replace("prompt = \"prompts/main.md\"", extraLine.StartsWith("prompt") ? extraLine : "prompt = \"prompts/main.md\"\n" + extraLine);
        Assert.StartsWith(expected, ErrorOf(toml));
    }

    [Fact]
    public void Missing_essentials_are_named_with_the_fix()
    {
        Assert.StartsWith("agents.toml:1:1: session_prefix is missing; add a line like session_prefix = \"myproj-\"",
            ErrorOf("[[agent]]\nname = \"a\"\nbackend = \"claude\"\nprompt = \"p.md\"\n"));
        Assert.StartsWith("agents.toml:1:1: no [[agent]] table", ErrorOf("session_prefix = \"p-\"\n"));
        Assert.Contains("has no backend; add backend = \"claude\", \"codex\" or \"command\"",
            ErrorOf("session_prefix = \"p-\"\n[[agent]]\nname = \"a\"\n"));
        Assert.Contains("agent 'a' has no prompt", ErrorOf("session_prefix = \"p-\"\n[[agent]]\nname = \"a\"\nbackend = \"codex\"\n"));
        Assert.Contains("has backend \"command\" but no command",
            ErrorOf("session_prefix = \"p-\"\n[[agent]]\nname = \"a\"\nbackend = \"command\"\n"));
        Assert.Contains("a wake types wake_prompt into the agent",
            ErrorOf("session_prefix = \"p-\"\n[[agent]]\nname = \"a\"\nbackend = \"command\"\ncommand = [\"x\"]\nwake = \"1h\"\n"));
    }

    [Theory]
    [InlineData("session_prefix = \"my proj\"", "agents.toml:1:18: session_prefix 'my proj' may hold only letters")]
    [InlineData("session_prefix = \"p-\"\nwatchdog_interval = \"10ms\"", "agents.toml:2:21: watchdog_interval must be between 100ms and 10m")]
    [InlineData("session_prefix = \"p-\"\nwatchdog_interval = \"often\"", "agents.toml:2:21: watchdog_interval 'often' is not a duration")]
    [InlineData("session_prefix = \"p-\"\nagents = []", "agents.toml:2:1: unknown key 'agents'; the keys are session_prefix, watchdog_interval, agent")]
    [InlineData("session_prefix = \"p-\"\nagent = \"x\"", "agents.toml:2:9: agents are declared as [[agent]] tables")]
    public void Top_level_mistakes_point_at_their_line_and_column(string toml, string expected) =>
        Assert.StartsWith(expected, ErrorOf(toml + "\n"));

    [Fact]
    public void A_name_used_twice_is_reported_at_its_second_use()
    {
        var error = ErrorOf(Minimal + "\n\n[[agent]]\nname = \"main\"\nbackend = \"codex\"\nprompt = \"p.md\"\n");
        Assert.StartsWith("agents.toml:9:8: agent name 'main' is used twice", error);
    }

    [Fact]
    public void Invalid_toml_is_reported_as_the_parser_found_it()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("agents-config-").FullName, "agents.toml");
        File.WriteAllText(path, "session_prefix = \"p-\"\n[[agent]\n");
        try
        {
            var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path)).Message;
            Assert.Matches(@"agents\.toml:2:\d+: ", error);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
