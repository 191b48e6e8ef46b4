using System.Text.Json;
using Orchestrator.Output;

namespace Orchestrator.Harness;

/// <summary>
/// The <c>work</c> object of a harness's <c>status --json</c>: the state of the project's work cycles. A project has
/// none (<see cref="Parse"/> answers null) when its agents.toml has no [work] table, when its engine predates work
/// cycles (no <c>work</c> key), or when its harness is the Python agent-orchestrator.
/// </summary>
/// <param name="Liveness">The running cycle's heartbeat class when the harness answered: running, stale or stopped.</param>
/// <param name="Heartbeat">The running cycle's last event, else the end of the last cycle; null before any.</param>
internal sealed record WorkStatus(
    bool Paused,
    string? PauseReason,
    int FailuresInARow,
    string Liveness,
    DateTimeOffset? Heartbeat,
    double StaleAfterSeconds,
    double StoppedAfterSeconds,
    RunningCycle? Cycle,
    LastCycle? LastCycle,
    TaskCounts Tasks,
    double CostUsdToday,
    double CostUsdTotal,
    long TokensToday,
    DateTimeOffset? NextCycle)
{
    public const string None = "no work cycles";

    /// <summary>The work state in a status report, or null when the project has no work cycles.</summary>
    /// <exception cref="JsonException">The <c>work</c> object is not the shape engine/README.md documents.</exception>
    public static WorkStatus? Parse(JsonElement statusReport) =>
        statusReport.ValueKind == JsonValueKind.Object && statusReport.TryGetProperty("work", out var work) && work.ValueKind == JsonValueKind.Object
            ? work.Deserialize(RunbookJson.Default.WorkStatus) ?? throw new JsonException("the work object is empty")
            : null;

    /// <summary>
    /// The heartbeat class seen at <paramref name="now"/>: a running cycle's last event ages from running to stale to
    /// stopped by the project's own thresholds; a cycle the harness saw stopped (its process gone) stays stopped.
    /// </summary>
    public string LivenessAt(DateTimeOffset now)
    {
        if (Cycle is not { } cycle || cycle.Liveness == "stopped")
            return "stopped";
        var age = (now - (cycle.Heartbeat ?? cycle.Started)).TotalSeconds;
        return age < StaleAfterSeconds ? "running" : age < StoppedAfterSeconds ? "stale" : "stopped";
    }
}

/// <summary>The cycle that runs now, as status reports it.</summary>
internal sealed record RunningCycle(long Id, DateTimeOffset Started, DateTimeOffset? Heartbeat, string Liveness, int? Pid);

/// <summary>The last cycle that ended.</summary>
internal sealed record LastCycle(long Id, string State, DateTimeOffset Started, DateTimeOffset? Ended, string? Message);

/// <summary>How many tasks are in each state.</summary>
internal sealed record TaskCounts(int Queued, int Running, int Passed, int Failed, int Merged, int Blocked, int Conflict, int Cancelled)
{
    public static readonly TaskCounts Zero = new(0, 0, 0, 0, 0, 0, 0, 0);

    public TaskCounts Add(TaskCounts other) => new(Queued + other.Queued, Running + other.Running, Passed + other.Passed, Failed + other.Failed,
        Merged + other.Merged, Blocked + other.Blocked, Conflict + other.Conflict, Cancelled + other.Cancelled);
}
