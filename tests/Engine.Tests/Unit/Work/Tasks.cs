using Engine.Agents.Work.Model;

namespace Engine.Tests.Unit.Work;

/// <summary>Tasks for unit tests, as briefly as a test needs them.</summary>
internal static class Tasks
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);

    public static WorkTask Task(long number, TaskState state = TaskState.Queued, long[]? after = null, string? title = null, string? description = null,
        string? message = null) =>
        new(number, title ?? $"task {number}", description, null, state, after ?? [], T0, T0.AddMinutes(number), null, null, 0, message,
            null, null, null, null, null);
}
