using Engine.Agents.Cli;

namespace Engine.Tests.Unit;

public sealed class CommandLineParsingTests
{
    [Fact]
    public void Parses_verbs_operands_and_the_config_anywhere()
    {
        var invocation = CommandLine.Parse(["up", "a", "--config", "x.toml", "b"]);

        Assert.Equal(Verb.Up, invocation.Verb);
        Assert.Equal(["a", "b"], invocation.Operands);
        Assert.Equal("x.toml", invocation.ConfigPath);
    }

    [Fact]
    public void Defaults_to_agents_toml_and_knows_the_flags()
    {
        Assert.Equal("agents.toml", CommandLine.Parse(["status"]).ConfigPath);
        Assert.True(CommandLine.Parse(["status", "--json"]).Json);
        Assert.True(CommandLine.Parse(["logs", "main", "--follow"]).Follow);
        Assert.Equal("c.toml", CommandLine.Parse(["--config=c.toml", "down"]).ConfigPath);
        Assert.Equal(Verb.Version, CommandLine.Parse(["--version"]).Verb);
        Assert.Equal(Verb.Watchdog, CommandLine.Parse(["_watchdog"]).Verb);
        Assert.Equal(["main"], CommandLine.Parse(["attach", "main"]).Operands);
    }

    [Fact]
    public void Status_json_alone_takes_several_configs()
    {
        Assert.Equal(["a/agents.toml", "b/agents.toml"], CommandLine.Parse(["status", "--json", "--config", "a/agents.toml", "--config=b/agents.toml"]).ConfigPaths);
        var up = Assert.Throws<UsageException>(() => CommandLine.Parse(["up", "--config", "a.toml", "--config", "b.toml"]));
        Assert.Contains("only 'status --json' takes several", up.Message);
        Assert.Throws<UsageException>(() => CommandLine.Parse(["status", "--config", "a.toml", "--config", "b.toml"]));
    }

    [Theory]
    [InlineData("no command given")]
    [InlineData("unknown command 'start'", "start")]
    [InlineData("unknown option '--jsn'", "status", "--jsn")]
    [InlineData("--json applies to 'status' only", "up", "--json")]
    [InlineData("--follow applies to 'logs' only", "status", "-f")]
    [InlineData("init needs exactly one directory", "init")]
    [InlineData("logs needs exactly one agent name", "logs", "a", "b")]
    [InlineData("attach needs exactly one agent name, e.g. 'agents attach main'", "attach")]
    [InlineData("status takes no arguments", "status", "main")]
    [InlineData("--config needs a file", "status", "--config")]
    public void Rejects_bad_usage_with_a_reason(string reason, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args));
        Assert.Contains(reason, error.Message);
    }
}
