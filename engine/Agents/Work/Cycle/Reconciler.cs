using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Running;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Cycle;

/// <summary>
/// Before a cycle starts (holding the cycle lock, so no other cycle lives), it looks at what is:
/// cycles and runs recorded as running, tasks left running, passed tasks and their branches, the
/// worktrees under .ao-state. Whatever a crashed cycle left is settled here, so no crash loses work
/// and no stale worktree is in the way.
/// </summary>
internal static class Reconciler
{
    public static void Run(WorkStore store, WorkGit git, WorkLayout layout, Repository repository, Progress progress)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var cycle in store.UnfinishedCycles())
        {
            // Its workers may have outlived it: they carry its marker.
            SupervisedProcess.StopTree(cycle.Marker, CycleContext.CycleMarker);
            store.EndCycle(cycle.Id, CycleState.Aborted, cycle.Merged, cycle.Failed,
                $"its process (pid {cycle.Pid}) ended before the cycle did", now);
            progress.Line($"cycle {cycle.Id} had ended without finishing (pid {cycle.Pid}); what it left is picked up");
        }
        foreach (var run in store.UnfinishedRuns())
            store.EndRun(run.Id, "lost", null, "its cycle ended before it did", now);

        var main = git.Commit(repository.MainRef);
        var tasks = store.Tasks();
        foreach (var task in tasks)
        {
            if (task.State == TaskState.Running)
            {
                store.Apply(task.Number, TaskEvent.Requeue, TaskUpdate.Nothing, $"its cycle {task.Cycle} ended mid-task; queued again", now);
                progress.Line($"{task.Id}: was left running by cycle {task.Cycle}; queued again");
            }
            else if (task.State == TaskState.Passed)
            {
                var head = git.Commit("refs/heads/" + task.Branch);
                if (head is null)
                {
                    store.Apply(task.Number, TaskEvent.Requeue, TaskUpdate.Nothing, "its branch is gone; it runs again", now);
                    progress.Line($"{task.Id}: its branch {task.Branch} is gone; queued again");
                }
                else if (main is not null && git.IsAncestor(head, main))
                {
                    // Main moved to it, and the cycle died before it could write that down.
                    store.Apply(task.Number, TaskEvent.Merge, new TaskUpdate { MergedCommit = head, Finished = now, ClearMessage = true }, "found merged into main", now);
                    git.RemoveWorktree(layout.TaskWorktree(task.Id));
                    git.DeleteBranch(task.Branch);
                    progress.Line($"{task.Id}: found merged into main");
                }
            }
        }

        // Only a passed task's worktree is worth keeping: its merge picks up from there.
        var keep = store.Tasks(TaskState.Passed).Select(t => layout.TaskWorktree(t.Id)).ToHashSet();
        var registered = git.Worktrees().Select(w => w.Path).Where(p => Path.GetDirectoryName(p) == layout.Worktrees).ToHashSet();
        var present = Directory.Exists(layout.Worktrees) ? Directory.EnumerateDirectories(layout.Worktrees) : [];
        foreach (var path in registered.Union(present).Where(p => !keep.Contains(p)))
            git.RemoveWorktree(path);
        if (registered.Any(path => !Directory.Exists(path)))
            git.PruneWorktrees();

        // A cancelled task's branch goes (a failed or conflicting one stays for a person); branches that
        // are not a task's are not the cycle's business.
        var states = store.Tasks().ToDictionary(t => t.Branch, t => t.State);
        foreach (var branch in git.Branches("work/*"))
            if (states.GetValueOrDefault(branch) is TaskState.Cancelled or TaskState.Merged)
                git.DeleteBranch(branch);
    }
}
