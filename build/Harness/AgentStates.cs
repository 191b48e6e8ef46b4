using System.Text.Json;
using Orchestrator.Fleet;

namespace Orchestrator.Harness;

/// <summary>One agent as the harness's <c>status --json</c> reports it.</summary>
/// <param name="Session">The tmux session, when the harness says (ours does).</param>
/// <param name="Wanted">Started by <c>up</c> and not stopped: running, being healed, or waiting for its next wake.</param>
internal sealed record AgentState(string Name, string State, string? Session, bool Wanted);

/// <summary>The agents of a project, asked of its harness: the fleet never reads a project's agents.toml itself.</summary>
internal static class AgentStates
{
    public static IReadOnlyList<AgentState> Ask(FleetProject project, HarnessEntry harness)
    {
        var result = harness.RunShowingProgress(project.Directory, "status", "--json");
        if (!result.Succeeded)
            throw new TargetFailedException($"{harness.Display("status", "--json")} exited {result.ExitCode} in {project.Directory}: {result.FirstErrorLine}");
        try
        {
            using var document = JsonDocument.Parse(result.Output);
            return Parse(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new TargetFailedException($"{harness.Display("status", "--json")} in {project.Directory} did not print a status report: {e.Message.Split('\n')[0]}");
        }
    }

    public static IReadOnlyList<AgentState> Parse(JsonElement report) =>
        report.GetProperty("agents").EnumerateArray().Select(agent =>
        {
            var state = agent.GetProperty("state").GetString()!;
            var waking = agent.TryGetProperty("next_wake", out var wake) && wake.ValueKind != JsonValueKind.Null;
            var session = agent.TryGetProperty("session", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            return new AgentState(agent.GetProperty("name").GetString()!, state, session, state != "stopped" || waking);
        }).ToList();

    /// <summary>The agent named, or the project's only one; a clear refusal when that does not pick one.</summary>
    public static AgentState Pick(IReadOnlyList<AgentState> agents, string? name, FleetProject project) =>
        name is not null
            ? agents.FirstOrDefault(a => a.Name == name)
              ?? throw new TargetFailedException($"project '{project.Name}' has no agent '{name}'; its agents: {Names(agents)}", 2)
            : agents.Count == 1
                ? agents[0]
                : throw new TargetFailedException(agents.Count == 0
                    ? $"project '{project.Name}' has no agents in its agents.toml"
                    : $"project '{project.Name}' has agents {Names(agents)}; pass --agent NAME", 2);

    private static string Names(IReadOnlyList<AgentState> agents) => string.Join(", ", agents.Select(a => a.Name).DefaultIfEmpty("(none)"));
}
