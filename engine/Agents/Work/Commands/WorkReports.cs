using System.Text.Json.Serialization;

namespace Engine.Agents.Work.Commands;

// What the work commands print; --json prints exactly these, in snake_case (engine/README.md, "JSON shapes").

internal sealed record TokensReport(long Input, long Output, long CacheRead, long CacheCreation, long Total);

internal record TaskReport
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string? Description { get; init; }
    public required string? Type { get; init; }
    public required string State { get; init; }
    public required IReadOnlyList<string> DependsOn { get; init; }
    public required string Branch { get; init; }
    public required double? CostUsd { get; init; }
    public required TokensReport Tokens { get; init; }
    public required int Attempts { get; init; }
    public required long? Cycle { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
    public required string? Message { get; init; }
    /// <summary>For a running task: running, stale or stopped, by its worker's last output and process.</summary>
    public required string? Liveness { get; init; }
    public required DateTimeOffset? Heartbeat { get; init; }
    public required string? MergedCommit { get; init; }
    /// <summary>From the start of its last attempt to its end (merged, failed); null while it is not over.</summary>
    public required double? DurationSeconds { get; init; }
}

internal sealed record TaskDetailReport : TaskReport
{
    public required string? BaseCommit { get; init; }
    public required string? HeadCommit { get; init; }
    public required DateTimeOffset? Started { get; init; }
    public required DateTimeOffset? Finished { get; init; }
    public required string? Summary { get; init; }
    public required string? DiffStat { get; init; }
    public required string? Verdict { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public required string? GateOutput { get; init; }
    public required IReadOnlyList<TaskEventReport> History { get; init; }
    public required IReadOnlyList<RunReport> Runs { get; init; }
}

internal sealed record TaskEventReport(DateTimeOffset At, string State, string? Note);

internal sealed record RunReport(
    long Id,
    long Cycle,
    string Role,
    string Backend,
    string? Model,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    DateTimeOffset? Heartbeat,
    int? Pid,
    string Outcome,
    string? Error,
    double? CostUsd,
    TokensReport Tokens,
    int? Turns,
    string? SessionId);

internal sealed record CycleReport(
    long Id,
    string Trigger,
    string State,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    DateTimeOffset Heartbeat,
    string? Liveness,
    int Pid,
    int Planned,
    int Merged,
    int Failed,
    double? CostUsd,
    TokensReport Tokens,
    string? Message);

internal sealed record CycleResultReport(
    string Outcome,
    long? Id,
    string? Message,
    DateTimeOffset? Started,
    DateTimeOffset? Ended,
    IReadOnlyList<string> Planned,
    IReadOnlyList<string> Dispatched,
    IReadOnlyList<string> Merged,
    IReadOnlyList<string> Failed,
    IReadOnlyList<string> Blocked,
    IReadOnlyList<string> Waiting,
    double? CostUsd,
    TokensReport Tokens,
    IReadOnlyList<string> Problems);

internal sealed record CostLineReport(string Day, string Role, string? Model, int Runs, int RunsWithoutCost, double? CostUsd, TokensReport Tokens);

internal sealed record CostsReport(string? Since, IReadOnlyList<CostLineReport> Days, double CostUsd, TokensReport Tokens);

internal sealed record TaskCountsReport(int Queued, int Running, int Passed, int Failed, int Merged, int Blocked, int Conflict, int Cancelled);

internal sealed record LiveCycleReport(long Id, DateTimeOffset Started, DateTimeOffset Heartbeat, string Liveness, int Pid);

internal sealed record LastCycleReport(long Id, string State, DateTimeOffset Started, DateTimeOffset? Ended, string? Message);

/// <summary>The <c>work</c> object of <c>status --json</c>.</summary>
/// <param name="Liveness">The running cycle's heartbeat class; "stopped" when none runs.</param>
/// <param name="Heartbeat">The running cycle's last event, else when the last cycle ended.</param>
internal sealed record WorkStatusReport(
    bool Paused,
    string? PauseReason,
    int FailuresInARow,
    string Liveness,
    DateTimeOffset? Heartbeat,
    double StaleAfterSeconds,
    double StoppedAfterSeconds,
    LiveCycleReport? Cycle,
    LastCycleReport? LastCycle,
    TaskCountsReport Tasks,
    double CostUsdToday,
    double CostUsdTotal,
    long TokensToday,
    DateTimeOffset? NextCycle);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TaskReport[]))]
[JsonSerializable(typeof(TaskDetailReport))]
[JsonSerializable(typeof(CycleReport[]))]
[JsonSerializable(typeof(CycleResultReport))]
[JsonSerializable(typeof(CostsReport))]
[JsonSerializable(typeof(WorkStatusReport))]
internal sealed partial class WorkJson : JsonSerializerContext;
