using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Store;

internal sealed record Control(bool Paused, string? PauseReason, DateTimeOffset? PausedAt, int FailuresInARow);

internal enum CycleState { Running, Succeeded, Failed, Aborted }

internal sealed record CycleRecord(
    long Id,
    string Trigger,
    CycleState State,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    DateTimeOffset Heartbeat,
    int Pid,
    long? PidStart,
    string Marker,
    string? PlanText,
    int Planned,
    int Merged,
    int Failed,
    string? Message,
    double? CostUsd,
    TokenUsage Tokens);

internal sealed record RunRecord(
    long Id,
    long Cycle,
    long? Task,
    string Role,
    string Backend,
    string? Model,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    DateTimeOffset? Heartbeat,
    int? Pid,
    long? PidStart,
    string Marker,
    string Outcome,
    string? Error,
    double? CostUsd,
    TokenUsage Tokens,
    int? Turns,
    string? SessionId);

internal sealed record TaskEventRecord(DateTimeOffset At, TaskState State, string? Note);

/// <summary>What a task cost: USD is null when it ran but no run of it reported a price.</summary>
internal sealed record Spend(double? CostUsd, TokenUsage Tokens)
{
    /// <summary>A task that never ran.</summary>
    public static readonly Spend None = new(0, default);
}

/// <summary>Everything recorded of one task, for <c>task show</c>.</summary>
internal sealed record TaskDetail(
    WorkTask Task,
    Spend Spend,
    string? Summary,
    string? DiffStat,
    string? Verdict,
    IReadOnlyList<string> Reasons,
    string? GateOutput,
    IReadOnlyList<TaskEventRecord> Events,
    IReadOnlyList<RunRecord> Runs);

internal sealed record CostRow(string Day, string Role, string? Model, double? CostUsd, TokenUsage Tokens, int Runs, int RunsWithoutCost);

internal static class CycleStates
{
    public static string Name(this CycleState state) => state.ToString().ToLowerInvariant();

    public static CycleState Parse(string name) => Enum.Parse<CycleState>(name, ignoreCase: true);
}
