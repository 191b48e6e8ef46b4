using System.Text.Json.Serialization;
using Orchestrator.Harness;
using Orchestrator.Work;

namespace Orchestrator.Dashboard;

// The dashboard's JSON API, version 1 (docs/dashboard.md, "API"): records serialized by DashboardJson, keys in snake_case.

/// <summary>GET /api/v1/state: every project of the fleet at a glance.</summary>
/// <param name="Now">The server's clock when it answered: heartbeats are classified against it.</param>
/// <param name="GatheredAt">When the harnesses were asked (answers are shared for a second or two).</param>
internal sealed record StateDocument(string Fleet, DateTimeOffset Now, DateTimeOffset GatheredAt, FleetTotals Totals, IReadOnlyList<ProjectSummary> Projects);

internal sealed record FleetTotals(int Projects, int Enabled, int AgentsRunning, int AgentsTotal, TaskCounts Tasks, double CostUsdToday, double CostUsdTotal);

/// <param name="Engine">The engine pin: its ref in fleet.toml and whether the checkout drifted from it.</param>
/// <param name="Agents">Null when the harness was not asked (disabled, not cloned) or could not answer (see <see cref="Error"/>).</param>
/// <param name="Watchdog">The watchdog's state as the harness says (running, stale, stopped, unknown); null when not asked.</param>
/// <param name="Work">Null when the project has no work cycles.</param>
/// <param name="Error">Why git or the harness could not answer, as one line.</param>
/// <param name="Action">The last action the dashboard ran on the project, while it runs and after.</param>
internal sealed record ProjectSummary(
    string Name,
    bool Enabled,
    bool Cloned,
    string Harness,
    IReadOnlyList<string> Tags,
    EngineSummary Engine,
    AgentsSummary? Agents,
    string? Watchdog,
    WorkSummary? Work,
    string? Error,
    ActionDocument? Action);

/// <param name="Drift">What differs from the registry's pin (empty when in sync).</param>
internal sealed record EngineSummary(string Ref, bool InSync, IReadOnlyList<string> Drift);

internal sealed record AgentsSummary(int Running, int Total, IReadOnlyList<AgentSummary> List);

/// <param name="LastOutput">When the agent last wrote to its log.</param>
internal sealed record AgentSummary(string Name, string State, int? Pid, DateTimeOffset? Since, int Restarts, DateTimeOffset? LastOutput, int? LastExitCode);

/// <param name="Heartbeat">The heartbeat class by the server's clock: running, stale or stopped.</param>
/// <param name="HeartbeatAt">The running cycle's last event, else the end of the last cycle.</param>
internal sealed record WorkSummary(
    string Heartbeat,
    DateTimeOffset? HeartbeatAt,
    double StaleAfterSeconds,
    double StoppedAfterSeconds,
    bool Paused,
    string? PauseReason,
    long? RunningCycle,
    LastCycle? LastCycle,
    TaskCounts Tasks,
    double CostUsdToday,
    double CostUsdTotal,
    DateTimeOffset? NextCycle);

/// <summary>An action started on the page or through the API, and how it went.</summary>
/// <param name="State">running, succeeded, failed, or refused (it could not run: not cloned, disabled, paused, no work cycles).</param>
/// <param name="Output">What the harness printed (stdout and stderr, in order).</param>
internal sealed record ActionDocument(string Project, string Action, string State, string Message, DateTimeOffset Started, DateTimeOffset? Ended,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Output = null);

/// <summary>GET /api/v1/projects/{name}/tasks: the harness's <c>tasks --json</c>, oldest first.</summary>
/// <param name="WorkCycles">False for a project without work cycles (then no tasks).</param>

/// <summary>GET /api/v1/projects/{name}/history: the harness's <c>history --json</c>, newest first.</summary>
internal sealed record HistoryDocument(string Project, bool WorkCycles, IReadOnlyList<CycleRecord> Cycles);

/// <summary>Every error: its status code says what kind, the message what to do.</summary>
internal sealed record ErrorDocument(string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StateDocument))]
[JsonSerializable(typeof(ProjectSummary))]
[JsonSerializable(typeof(ActionDocument))]
[JsonSerializable(typeof(TasksDocument))]
[JsonSerializable(typeof(HistoryDocument))]
[JsonSerializable(typeof(ErrorDocument))]
internal sealed partial class DashboardJson : JsonSerializerContext;
