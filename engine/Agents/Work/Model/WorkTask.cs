namespace Engine.Agents.Work.Model;

/// <summary>One task as the database holds it.</summary>
internal sealed record WorkTask(
    long Number,
    string Title,
    string? Description,
    string? Type,
    TaskState State,
    IReadOnlyList<long> DependsOn,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    long? OriginCycle,
    long? Cycle,
    int Attempts,
    string? Message,
    string? BaseCommit,
    string? HeadCommit,
    string? MergedCommit,
    DateTimeOffset? Started,
    DateTimeOffset? Finished)
{
    public string Id => TaskId.Format(Number);
    public string Branch => TaskId.Branch(Number);
}
