using System.Text.Json.Serialization;

namespace Engine.Agents.Commands;

/// <summary>What <c>status</c> prints; <c>--json</c> prints exactly this, in snake_case.</summary>
/// <param name="Work">The work cycles' state; null when agents.toml has no [work] table.</param>
internal sealed record StatusReport(string Project, string Config, WatchdogReport Watchdog, IReadOnlyList<AgentReport> Agents,
    Work.Commands.WorkStatusReport? Work);

internal sealed record WatchdogReport(string State, int? Pid, DateTimeOffset? Heartbeat, double IntervalSeconds);

internal sealed record AgentReport(
    string Name,
    string Kind,
    string Backend,
    string Session,
    string State,
    DateTimeOffset? Since,
    int? Pid,
    int Restarts,
    DateTimeOffset? LastOutput,
    double? IdleSeconds,
    int? LastExitCode,
    DateTimeOffset? NextWake);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(StatusReport[]))]
internal sealed partial class StatusJson : JsonSerializerContext;
