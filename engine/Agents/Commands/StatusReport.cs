using System.Text.Json.Serialization;

namespace Engine.Agents.Commands;

/// <summary>What <c>status</c> prints; <c>--json</c> prints exactly this, in snake_case.</summary>
/// <param name="TmuxSocket">The project's own tmux server: <c>tmux -L TMUX_SOCKET</c>.</param>
/// <param name="Work">The work cycles' state; null when agents.toml has no [work] table.</param>
internal sealed record StatusReport(string Project, string Config, string TmuxSocket, WatchdogReport Watchdog, IReadOnlyList<AgentReport> Agents,
    Work.Commands.WorkStatusReport? Work);

internal sealed record WatchdogReport(string State, int? Pid, DateTimeOffset? Heartbeat, double IntervalSeconds);

/// <param name="TmuxSocket">The server its session is on: the project's, or <c>default</c> for one an older engine started.</param>
/// <param name="Processes">Every live process carrying the agent's mark: its own and all it started.</param>
internal sealed record AgentReport(
    string Name,
    string Kind,
    string Backend,
    string Session,
    string TmuxSocket,
    string State,
    DateTimeOffset? Since,
    int? Pid,
    IReadOnlyList<int> Processes,
    int Restarts,
    DateTimeOffset? LastOutput,
    double? IdleSeconds,
    int? LastExitCode,
    DateTimeOffset? NextWake);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(StatusReport[]))]
internal sealed partial class StatusJson : JsonSerializerContext;
