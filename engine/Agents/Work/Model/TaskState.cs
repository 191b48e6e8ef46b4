namespace Engine.Agents.Work.Model;

/// <summary>Where a task is in its life; <see cref="TaskTransitions"/> says how it moves.</summary>
internal enum TaskState { Queued, Running, Passed, Failed, Merged, Blocked, Conflict, Cancelled }

internal static class TaskStates
{
    public static readonly IReadOnlyList<TaskState> All = Enum.GetValues<TaskState>();

    public static string Name(this TaskState state) => state switch
    {
        TaskState.Queued => "queued",
        TaskState.Running => "running",
        TaskState.Passed => "passed",
        TaskState.Failed => "failed",
        TaskState.Merged => "merged",
        TaskState.Blocked => "blocked",
        TaskState.Conflict => "conflict",
        _ => "cancelled",
    };

    public static TaskState? Parse(string name) => All.Cast<TaskState?>().FirstOrDefault(s => s!.Value.Name() == name);

    /// <summary>States a dependent can never get past: its dependency will not merge unless a person steps in.</summary>
    public static bool IsDeadEnd(this TaskState state) =>
        state is TaskState.Failed or TaskState.Conflict or TaskState.Cancelled or TaskState.Blocked;

    /// <summary>A failure in the sense of the patrol: a task that ran and did not make it.</summary>
    public static bool IsFailure(this TaskState state) => state is TaskState.Failed or TaskState.Conflict;
}
