namespace Engine.Agents.Work.Model;

/// <summary>What to change and what may start, given every task as it is now.</summary>
/// <param name="Block">Queued tasks that can never start as things are, with the reason.</param>
/// <param name="Unblock">Blocked tasks whose dependencies can all merge again.</param>
/// <param name="Ready">Queued tasks whose dependencies are all merged, oldest first.</param>
internal sealed record Readiness(
    IReadOnlyList<(long Task, string Reason)> Block,
    IReadOnlyList<long> Unblock,
    IReadOnlyList<long> Ready)
{
    /// <summary>
    /// A task is ready when every task it depends on is merged. A task that waits (queued or blocked)
    /// is blocked exactly while one of its dependencies is failed, in conflict, cancelled or itself
    /// blocked, so blocking travels down a chain, and a retry upstream frees the whole chain at once.
    /// The dependencies form no cycle (they are checked when tasks are added).
    /// </summary>
    public static Readiness Of(IReadOnlyCollection<WorkTask> tasks)
    {
        var byNumber = tasks.ToDictionary(t => t.Number);
        var settled = new Dictionary<long, (TaskState State, string? Reason)>();

        (TaskState State, string? Reason) Settle(long number)
        {
            if (settled.TryGetValue(number, out var known))
                return known;
            var task = byNumber[number];
            if (task.State is not (TaskState.Queued or TaskState.Blocked))
                return settled[number] = (task.State, null);
            foreach (var dependency in task.DependsOn.Where(byNumber.ContainsKey))
                if (Settle(dependency).State.IsDeadEnd())
                    return settled[number] = (TaskState.Blocked, $"{TaskId.Format(dependency)} is {settled[dependency].State.Name()}");
            return settled[number] = (TaskState.Queued, null);
        }

        foreach (var task in tasks)
            Settle(task.Number);

        var block = tasks.Where(t => t.State == TaskState.Queued && settled[t.Number].State == TaskState.Blocked)
            .Select(t => (t.Number, settled[t.Number].Reason!)).ToList();
        var unblock = tasks.Where(t => t.State == TaskState.Blocked && settled[t.Number].State == TaskState.Queued)
            .Select(t => t.Number).ToList();
        var ready = tasks
            .Where(t => settled[t.Number].State == TaskState.Queued
                && t.DependsOn.All(d => settled.TryGetValue(d, out var s) && s.State == TaskState.Merged))
            .Select(t => t.Number)
            .Order()
            .ToList();
        return new Readiness(block, unblock, ready);
    }
}
