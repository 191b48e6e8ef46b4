using Engine.Agents.Work.Model;

namespace Engine.Agents.Work.Commands;

internal enum WorkVerb { Cycle, TaskAdd, TaskShow, TaskCancel, TaskRetry, Tasks, Pause, Resume, History, Costs }

/// <summary>A work command as parsed: the verb and the options that apply to it.</summary>
internal sealed record WorkRequest(WorkVerb Verb)
{
    public bool Json { get; init; }
    public bool NoPlan { get; init; }
    public bool PlanOnly { get; init; }
    public bool Scheduled { get; init; }
    public int? MaxWorkers { get; init; }
    public long? Task { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<long> DependsOn { get; init; } = [];
    public TaskState? State { get; init; }
    public string? Reason { get; init; }
    public DateOnly? Since { get; init; }
    public int? Limit { get; init; }
}
