namespace Orchestrator.Work;

// What the engine's work verbs print with --json (engine/README.md, "JSON shapes"), read into records: the fleet's
// --json documents carry them as the harness gave them.

/// <summary>Tokens of runs: input, output, cache read, cache creation, and their total.</summary>
internal sealed record TokenCounts(long Input, long Output, long CacheRead, long CacheCreation, long Total)
{
    public static readonly TokenCounts Zero = new(0, 0, 0, 0, 0);

    public TokenCounts Add(TokenCounts other) =>
        new(Input + other.Input, Output + other.Output, CacheRead + other.CacheRead, CacheCreation + other.CacheCreation, Total + other.Total);
}

/// <summary><c>cycle --json</c>: how one cycle went.</summary>
/// <param name="Outcome">succeeded, failed, aborted, paused or busy (then <see cref="Id"/> is the running cycle).</param>
/// <param name="Problems">What stopped the cycle from starting (preflight), one line each.</param>
internal sealed record CycleResult(
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
    TokenCounts Tokens,
    IReadOnlyList<string> Problems);

/// <summary>One task of <c>tasks --json</c>.</summary>
/// <param name="CostUsd">0 for a task that never ran; null when it ran and no run reported a price.</param>
internal sealed record WorkTask(
    string Id,
    string Title,
    string? Description,
    string? Type,
    string State,
    IReadOnlyList<string> DependsOn,
    string Branch,
    double? CostUsd,
    TokenCounts Tokens,
    int Attempts,
    long? Cycle,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    string? Message,
    string? Liveness,
    DateTimeOffset? Heartbeat,
    string? MergedCommit,
    double? DurationSeconds);

/// <summary>One cycle of <c>history --json</c>, newest first.</summary>
/// <param name="Trigger">manual or scheduled.</param>
/// <param name="State">running, succeeded, failed or aborted.</param>
internal sealed record CycleRecord(
    long Id,
    string Trigger,
    string State,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    DateTimeOffset? Heartbeat,
    string? Liveness,
    int? Pid,
    int Planned,
    int Merged,
    int Failed,
    double? CostUsd,
    TokenCounts Tokens,
    string? Message);

/// <summary><c>costs --json</c>: spend per UTC day, role and model.</summary>
internal sealed record ProjectCosts(string? Since, IReadOnlyList<CostLine> Days, double CostUsd, TokenCounts Tokens);

/// <param name="Day">The UTC day, YYYY-MM-DD.</param>
/// <param name="CostUsd">Null when no run of the line reported a price.</param>
internal sealed record CostLine(string Day, string Role, string? Model, int Runs, int RunsWithoutCost, double? CostUsd, TokenCounts Tokens);
