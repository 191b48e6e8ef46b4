using Engine.Agents.Config;
using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Config;

internal enum WorkRole { Planner, Worker, Reviewer, Resolver }

/// <summary>The <c>[work]</c> table of agents.toml, validated: how this project's work cycles run.</summary>
internal sealed record WorkConfig(
    Backend Backend,
    string? Model,
    string? PlannerModel,
    string? ReviewerModel,
    int MaxWorkers,
    TimeSpan TaskTimeout,
    TimeSpan GateTimeout,
    double? MaxBudgetPerTask,
    double? MaxBudgetPerDay,
    int? MaxTurns,
    string PermissionMode,
    IReadOnlyList<string>? Test,
    IReadOnlyList<string>? Lint,
    bool AiReview,
    IReadOnlyList<string> Context,
    string? Backlog,
    TimeSpan? Interval,
    int PauseAfterFailures,
    IReadOnlyDictionary<WorkRole, IReadOnlyList<string>> Commands,
    string? MainBranch,
    HeartbeatThresholds Heartbeat,
    SourceLocation Location)
{
    public const int DefaultMaxWorkers = 3;
    public const int DefaultPauseAfterFailures = 5;
    public const string DefaultPermissionMode = "acceptEdits";
    public static readonly TimeSpan DefaultTaskTimeout = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan DefaultGateTimeout = TimeSpan.FromMinutes(10);

    public string? ModelFor(WorkRole role) => role switch
    {
        WorkRole.Planner => PlannerModel ?? Model,
        WorkRole.Reviewer => ReviewerModel ?? Model,
        _ => Model,
    };

    /// <summary>The command of a role for the <c>command</c> backend; null when the project gave none.</summary>
    public IReadOnlyList<string>? CommandFor(WorkRole role) => Commands.GetValueOrDefault(role);

    /// <summary>The gate, in the order it runs: test, then lint.</summary>
    public IEnumerable<(string Name, IReadOnlyList<string> Argv)> Gate()
    {
        if (Test is not null)
            yield return ("test", Test);
        if (Lint is not null)
            yield return ("lint", Lint);
    }
}

internal static class WorkRoles
{
    public static readonly IReadOnlyList<WorkRole> All = Enum.GetValues<WorkRole>();

    public static string Name(this WorkRole role) => role.ToString().ToLowerInvariant();
}
