namespace Engine.Agents.Work.Model;

internal enum TaskEvent
{
    /// <summary>A worker starts on it.</summary>
    Start,
    /// <summary>The judge passed its work.</summary>
    Pass,
    /// <summary>Its worker failed or timed out, the judge rejected it, or the gate failed on top of main.</summary>
    Fail,
    Merge,
    /// <summary>It could not be rebased onto main, even with the resolver's help.</summary>
    Conflict,
    /// <summary>A task it depends on will not merge.</summary>
    Block,
    /// <summary>Every task it depends on can merge again (one was retried).</summary>
    Unblock,
    Cancel,
    Retry,
    /// <summary>Its run was lost (the cycle ended or crashed mid-task), or its branch vanished: run it again.</summary>
    Requeue,
}

/// <summary>The task state machine as data: every legal move, and a reason for every refused one.</summary>
internal static class TaskTransitions
{
    private static readonly Dictionary<(TaskState, TaskEvent), TaskState> Moves = new()
    {
        [(TaskState.Queued, TaskEvent.Start)] = TaskState.Running,
        [(TaskState.Queued, TaskEvent.Block)] = TaskState.Blocked,
        [(TaskState.Queued, TaskEvent.Cancel)] = TaskState.Cancelled,
        [(TaskState.Running, TaskEvent.Pass)] = TaskState.Passed,
        [(TaskState.Running, TaskEvent.Fail)] = TaskState.Failed,
        [(TaskState.Running, TaskEvent.Requeue)] = TaskState.Queued,
        [(TaskState.Running, TaskEvent.Cancel)] = TaskState.Cancelled,
        [(TaskState.Passed, TaskEvent.Merge)] = TaskState.Merged,
        [(TaskState.Passed, TaskEvent.Fail)] = TaskState.Failed,
        [(TaskState.Passed, TaskEvent.Conflict)] = TaskState.Conflict,
        [(TaskState.Passed, TaskEvent.Requeue)] = TaskState.Queued,
        [(TaskState.Passed, TaskEvent.Cancel)] = TaskState.Cancelled,
        [(TaskState.Blocked, TaskEvent.Unblock)] = TaskState.Queued,
        [(TaskState.Blocked, TaskEvent.Cancel)] = TaskState.Cancelled,
        [(TaskState.Failed, TaskEvent.Retry)] = TaskState.Queued,
        [(TaskState.Failed, TaskEvent.Cancel)] = TaskState.Cancelled,
        [(TaskState.Conflict, TaskEvent.Retry)] = TaskState.Queued,
        [(TaskState.Conflict, TaskEvent.Cancel)] = TaskState.Cancelled,
        [(TaskState.Cancelled, TaskEvent.Retry)] = TaskState.Queued,
    };

    public static TaskState? Next(TaskState from, TaskEvent happening) =>
        Moves.TryGetValue((from, happening), out var to) ? to : null;

    /// <summary>Why a person's request (cancel, retry) cannot be done in this state, with what to do instead.</summary>
    public static string Refusal(string id, TaskState from, TaskEvent request) => (from, request) switch
    {
        (TaskState.Merged, _) => $"{id} is merged; nothing to {request.ToString().ToLowerInvariant()}",
        (TaskState.Cancelled, TaskEvent.Cancel) => $"{id} is already cancelled",
        (TaskState.Blocked, TaskEvent.Retry) => $"{id} is blocked by a task it depends on; retry that one (see 'agents task show {id}')",
        _ => $"{id} is {from.Name()}; only a failed, conflict or cancelled task is retried",
    };
}
