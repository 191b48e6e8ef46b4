using System.Text.Json;
using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Output;
using Runbook;

namespace Fleet.Tests;

/// <summary>What the fleet reads from a harness's status report, and how it spells commands for people.</summary>
public sealed class HarnessReadingTests
{
    private static readonly FleetProject Api = new("api", "api", AbsolutePath.Create("/srv/api"), null, "agents", "../engine.git", "v0.1.0", true, [], [], 1, 1);

    private static IReadOnlyList<AgentState> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return AgentStates.Parse(document.RootElement);
    }

    [Fact]
    public void Wanted_agents_are_those_not_stopped_or_waiting_for_a_wake()
    {
        var agents = Parse("""
            {"agents": [
              {"name": "main", "state": "running", "session": "api-main", "next_wake": null},
              {"name": "healer", "state": "crashloop", "session": "api-healer"},
              {"name": "nightly", "state": "stopped", "session": "api-nightly", "next_wake": "2026-01-01T03:00:00Z"},
              {"name": "off", "state": "stopped", "session": "api-off", "next_wake": null},
              {"name": "python", "state": "running", "since": null, "pid": 12}
            ]}
            """);
        Assert.Equal(["main", "healer", "nightly", "python"], agents.Where(a => a.Wanted).Select(a => a.Name));
        Assert.Equal("api-main", agents[0].Session);
        Assert.Null(agents[4].Session);
    }

    [Fact]
    public void Picking_an_agent_needs_a_name_unless_there_is_only_one()
    {
        var two = Parse("""{"agents": [{"name": "a", "state": "running"}, {"name": "b", "state": "stopped"}]}""");
        Assert.Equal("b", AgentStates.Pick(two, "b", Api).Name);
        Assert.Equal("project 'api' has agents a, b; pass --agent NAME", Assert.Throws<TargetFailedException>(() => AgentStates.Pick(two, null, Api)).Message);
        Assert.Equal("project 'api' has no agent 'c'; its agents: a, b", Assert.Throws<TargetFailedException>(() => AgentStates.Pick(two, "c", Api)).Message);
        Assert.Equal("a", AgentStates.Pick(two.Take(1).ToList(), null, Api).Name);
    }

    [Fact]
    public void Words_are_quoted_only_when_a_shell_would_change_them()
    {
        Assert.Equal("git commit -m 'a message' --author=x@y.z", ShellWords.Join(["git", "commit", "-m", "a message", "--author=x@y.z"]));
        Assert.Equal("'$HOME' '' 'it'\\''s' '=api-main' 'a;b'", ShellWords.Join(["$HOME", "", "it's", "=api-main", "a;b"]));
    }
}
