using Engine.Agents.Config;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Prompts;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Cycle;

internal enum MergeOutcome { Merged, Failed, Conflict, Waiting, Requeued, Stopped }

/// <summary>
/// Merges passed tasks into main, one at a time: each rebased onto the current main, gated again on
/// the result, and only then main moves, by compare-and-swap (or a fast-forward where main is checked
/// out, only when that tree is clean). Main therefore only ever points at commits that passed the
/// gate. What merged tasks leave (worktrees, branches) is removed in one go when the queue is idle,
/// off the path every merge waits on. With no gate, several tasks that wait together go on top of
/// main one after the other, and main moves once, to the last of them (each intermediate commit is one
/// a task merged at; none needs a gate).
/// </summary>
internal sealed class MergeQueue(CycleContext context)
{
    private const int Attempts = 3;

    // Main as this queue last saw or moved it. A person may move main meanwhile: then the compare-and-swap
    // (or the fast-forward) fails, and main is read again; a stale value costs a retry, never a wrong merge.
    private string? _main;
    private readonly List<WorkTask> _merged = [];

    // Tasks put on top of main (and of each other) whose commits main does not hold yet, oldest first.
    private readonly List<(WorkTask Task, string Commit)> _staged = [];

    /// <summary>
    /// Merges tasks that wait together, in their order. With no gate, those whose commits go on top cleanly
    /// are staged, and main moves once for all of them; any other task (a conflict, a merge commit among
    /// its commits, a branch gone) takes the whole path of <see cref="Merge(WorkTask, CancellationToken)"/>
    /// once main holds those before it.
    /// </summary>
    public IReadOnlyList<(WorkTask Task, MergeOutcome Outcome)> Merge(IReadOnlyList<WorkTask> tasks, CancellationToken stop)
    {
        var outcomes = new List<(WorkTask, MergeOutcome)>();
        foreach (var task in tasks)
        {
            if (stop.IsCancellationRequested)
                outcomes.Add((task, MergeOutcome.Stopped));
            else if (tasks.Count == 1 || !Stage(task))
            {
                outcomes.AddRange(AdvanceStaged(stop));
                outcomes.Add((task, Merge(task, stop)));
            }
        }
        outcomes.AddRange(AdvanceStaged(stop));
        return outcomes;
    }

    /// <summary>Puts a task's commits on top of main and the tasks staged before it, without moving main; false when it needs the whole path.</summary>
    private bool Stage(WorkTask task)
    {
        var git = context.Git;
        if (context.Work.Gate().Any() || task.HeadCommit is not { } head || !File.Exists(Path.Combine(context.Layout.TaskWorktree(task.Id), ".git")))
            return false;
        try
        {
            var top = _staged.Count > 0 ? _staged[^1].Commit : _main ??= git.Commit(context.Repository.MainRef);
            if (top is null)
                return false;
            var candidate = top == task.BaseCommit ? head : git.ReplayOnto(top, head) is { Linear: true, Commit: { } put } ? put : null;
            if (candidate is null)
                return false;
            context.Say($"{task.Id}: on top of {(_staged.Count > 0 ? "the tasks merging before it" : "main")} ({top[..10]}) now");
            _staged.Add((task, candidate));
            return true;
        }
        catch (GitException)
        {
            return false;
        }
    }

    /// <summary>Moves main once to the last staged task, never over a person's uncommitted work; each staged task merged, waits, or (main moved meanwhile) takes the whole path.</summary>
    private IReadOnlyList<(WorkTask Task, MergeOutcome Outcome)> AdvanceStaged(CancellationToken stop)
    {
        if (_staged.Count == 0)
            return [];
        var staged = _staged.ToList();
        _staged.Clear();
        var main = _main!;
        var top = staged[^1].Commit;
        // A task cancelled or stopped since it was staged: the later ones hold its work, so every one takes the whole path.
        if (stop.IsCancellationRequested || staged.Any(s => context.Store.Task(s.Task.Number)?.State != TaskState.Passed))
            return staged.Select(s => (s.Task, stop.IsCancellationRequested ? MergeOutcome.Stopped : Merge(s.Task, stop))).ToList();
        var label = staged.Count == 1 ? staged[0].Task.Id : $"{staged[0].Task.Id} to {staged[^1].Task.Id}";
        switch (Advance(label, main, top, out var waiting))
        {
            case Step.Advanced:
                _main = top;
                return staged.Select(s => (s.Task, Merged(s.Task, s.Commit, top))).ToList();
            case Step.Waiting:
                foreach (var (task, _) in staged)
                {
                    context.Store.Note(task.Number, waiting, CycleContext.Now);
                    context.Say($"{task.Id}: waits: {waiting}");
                }
                return staged.Select(s => (s.Task, MergeOutcome.Waiting)).ToList();
            default:
                _main = null;
                return staged.Select(s => (s.Task, Merge(s.Task, stop))).ToList();
        }
    }

    private MergeOutcome Merged(WorkTask task, string commit, string main)
    {
        var merged = context.Store.Apply(task.Number, TaskEvent.Merge, new TaskUpdate { MergedCommit = commit, HeadCommit = commit, Finished = CycleContext.Now, ClearMessage = true },
            $"main moved to {main[..10]}", CycleContext.Now);
        _merged.Add(task);
        context.Say(merged.Moved
            ? $"{task.Id}: merged; main is at {main[..10]}"
            : $"{task.Id}: was {merged.State.Name()} in the very moment it merged; main is at {main[..10]}, which holds its work");
        return MergeOutcome.Merged;
    }

    public MergeOutcome Merge(WorkTask task, CancellationToken stop)
    {
        var git = context.Git;
        var worktree = context.Layout.TaskWorktree(task.Id);
        try
        {
            string original;
            if (File.Exists(Path.Combine(worktree, ".git")))
            {
                Tidy(git, worktree);
                original = task.HeadCommit ?? git.Commit("HEAD", worktree)!;
            }
            else
            {
                // Passed in an earlier cycle, or its worktree went missing: made again from its branch.
                if (git.Commit("refs/heads/" + task.Branch) is null)
                {
                    var requeued = context.Store.Apply(task.Number, TaskEvent.Requeue, TaskUpdate.Nothing, "its branch is gone; it runs again", CycleContext.Now);
                    if (requeued.Moved)
                        context.Say($"{task.Id}: its branch {task.Branch} is gone; queued again");
                    return MergeOutcome.Requeued;
                }
                git.RemoveWorktree(worktree);
                git.AddWorktreeOn(worktree, task.Branch);
                original = git.Commit("HEAD", worktree)!;
            }

            var head = original;
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var main = _main ??= git.Commit(context.Repository.MainRef)
                    ?? throw new GitException($"the branch {context.Repository.MainBranch} is gone");
                string candidate;
                var resolved = false;
                // The branch sits on this very main (its base is kept up to date): nothing to rebase. When main
                // moved, a rebase that finds nothing to do costs no more than asking first.
                if (main == task.BaseCommit && head == task.HeadCommit)
                    candidate = head;
                else if (OnTopOf(main, head, worktree) is { } onTop)
                    candidate = onTop;
                else
                {
                    var resolution = ConflictResolution.Resolve(context, task, worktree, main, stop);
                    if (resolution.Commit is null)
                        return stop.IsCancellationRequested
                            ? Stopped(git, worktree, original)
                            : Refused(context, task, worktree, original, TaskEvent.Conflict, resolution.Problem!, TaskUpdate.Nothing);
                    candidate = resolution.Commit;
                    resolved = true;
                }

                // What the judge gated is the result when main has not moved since: it need not run twice.
                if (candidate != task.HeadCommit)
                {
                    context.Say($"{task.Id}: on top of main ({main[..10]}) now" + (context.Work.Gate().Any() ? "; the gate runs again" : ""));
                    var gate = Gate.Run(context, context.InWorktree(worktree), task, "merge", stop);
                    if (stop.IsCancellationRequested)
                        return Stopped(git, worktree, original);
                    context.Audit.Verdict(task, "merge", gate.Passed, gate.Reasons, gate, null);
                    if (!gate.Passed)
                    {
                        var failure = gate.Checks.First(c => !c.Passed).Describe();
                        return resolved
                            ? Refused(context, task, worktree, original, TaskEvent.Conflict, $"the resolver's result fails the gate: {failure}", new TaskUpdate { GateOutput = gate.Output })
                            : Refused(context, task, worktree, original, TaskEvent.Fail, $"the gate fails on top of main ({main[..10]}): {failure}", new TaskUpdate { GateOutput = gate.Output });
                    }
                    context.Store.Note(task.Number, null, CycleContext.Now, headCommit: candidate, baseCommit: main);
                    task = task with { HeadCommit = candidate, BaseCommit = main };
                }

                // Cancelled while it was rebased and gated: main is not moved for it, and its work is dropped.
                if (context.Store.Task(task.Number)?.State is { } now && now != TaskState.Passed)
                {
                    git.RemoveWorktree(worktree);
                    if (now == TaskState.Cancelled)
                        git.DeleteBranch(task.Branch);
                    context.Say($"{task.Id}: {now.Name()} before it merged; main stays at {main[..10]}");
                    return MergeOutcome.Stopped;
                }

                switch (Advance(task.Id, main, candidate, out var waiting))
                {
                    case Step.Advanced:
                        _main = candidate;
                        return Merged(task, candidate, candidate);
                    case Step.Waiting:
                        context.Store.Note(task.Number, waiting, CycleContext.Now);
                        context.Say($"{task.Id}: waits: {waiting}");
                        return MergeOutcome.Waiting;
                    default:
                        _main = null;
                        head = candidate;
                        continue;
                }
            }
            var busy = $"main kept moving while {task.Id} was merged ({Attempts} tries); the next cycle tries again";
            context.Store.Note(task.Number, busy, CycleContext.Now);
            context.Say($"{task.Id}: waits: {busy}");
            return MergeOutcome.Waiting;
        }
        catch (GitException e)
        {
            _main = null;
            return Refused(context, task, worktree, null, TaskEvent.Fail, e.Message, TaskUpdate.Nothing);
        }
    }

    /// <summary>
    /// The task's commits on top of main, or null when they conflict (the worktree left as it was). With no
    /// gate to run on the result, nothing needs it checked out: the commits are replayed without a worktree
    /// (a few milliseconds, where a rebase takes tens on the path every merge waits on). Else, and when the
    /// commits are not a simple line, they are rebased in the task's worktree, where the gate then runs.
    /// </summary>
    private string? OnTopOf(string main, string head, string worktree)
    {
        var git = context.Git;
        if (!context.Work.Gate().Any() && git.ReplayOnto(main, head) is { Linear: true } replay)
            return replay.Commit;
        if (git.Try(worktree, "rebase", "--quiet", main).Succeeded)
            return git.Commit("HEAD", worktree)!;
        git.Try(worktree, "rebase", "--abort");
        return null;
    }

    /// <summary>Removes the worktrees and branches of the tasks merged since last time: their folders, then one prune and one branch deletion.</summary>
    public void CleanUp()
    {
        if (_merged.Count == 0)
            return;
        foreach (var task in _merged)
        {
            try
            {
                var worktree = context.Layout.TaskWorktree(task.Id);
                if (Directory.Exists(worktree))
                    Directory.Delete(worktree, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // What cannot be removed now (a file held by something the task started) the next cycle removes.
            }
        }
        context.Git.PruneWorktrees();
        context.Git.DeleteBranches(_merged.Select(t => t.Branch).ToList());
        _merged.Clear();
    }

    private enum Step { Advanced, MainMoved, Waiting }

    /// <summary>Moves main from <paramref name="main"/> to <paramref name="candidate"/>, never over a person's uncommitted work.</summary>
    private Step Advance(string label, string main, string candidate, out string? waiting)
    {
        var git = context.Git;
        var branch = context.Repository.MainBranch;
        waiting = null;
        var holder = git.CheckedOutAt(context.Repository.MainRef);
        if (holder is not null && git.Run(holder, "status", "--porcelain", "--untracked-files=no").Length > 0)
        {
            waiting = $"{branch} is checked out in {holder} with uncommitted changes; commit or stash them, and the next cycle merges";
            return Step.Waiting;
        }
        var result = holder is not null
            ? git.Try(holder, "merge", "--ff-only", "--quiet", candidate)
            : git.Try(git.Repository, "update-ref", "-m", $"work cycle: merge {label}", context.Repository.MainRef, candidate, main);
        if (result.Succeeded)
            return Step.Advanced;
        if (git.Commit(context.Repository.MainRef) != main)
            return Step.MainMoved;
        waiting = holder is null
            ? $"could not move {branch}: {result.FirstErrorLine}"
            : $"could not fast-forward {branch} in {holder}: {result.FirstErrorLine}";
        return Step.Waiting;
    }

    /// <summary>No rebase or merge left half-done in the worktree by an earlier run.</summary>
    private static void Tidy(WorkGit git, string worktree)
    {
        var line = File.ReadAllText(Path.Combine(worktree, ".git")).Trim();
        if (!line.StartsWith("gitdir: ", StringComparison.Ordinal))
            return;
        var gitDir = Path.GetFullPath(line["gitdir: ".Length..], worktree);
        if (Directory.Exists(Path.Combine(gitDir, "rebase-merge")) || Directory.Exists(Path.Combine(gitDir, "rebase-apply")))
            git.Try(worktree, "rebase", "--abort");
        if (File.Exists(Path.Combine(gitDir, "MERGE_HEAD")))
            git.Try(worktree, "merge", "--abort");
    }

    /// <summary>The branch goes back to the worker's own commit and is kept for a person; the worktree goes.</summary>
    private static MergeOutcome Refused(CycleContext context, WorkTask task, string worktree, string? original, TaskEvent failure, string reason, TaskUpdate update)
    {
        if (original is not null)
            context.Git.Try(worktree, "reset", "--quiet", "--hard", original);
        context.Git.RemoveWorktree(worktree);
        var move = context.Fail(task, failure, reason, update);
        if (move.State == TaskState.Cancelled)
            context.Git.DeleteBranch(task.Branch);
        return failure == TaskEvent.Conflict ? MergeOutcome.Conflict : MergeOutcome.Failed;
    }

    private static MergeOutcome Stopped(WorkGit git, string worktree, string original)
    {
        git.Try(worktree, "merge", "--abort");
        git.Try(worktree, "reset", "--quiet", "--hard", original);
        return MergeOutcome.Stopped;
    }
}

/// <summary>
/// A task's branch that no longer rebases onto main: main is merged into it in its worktree, the
/// resolver settles the conflicts (one try), and the result becomes one commit on top of main.
/// </summary>
internal static class ConflictResolution
{
    internal sealed record Result(string? Commit, string? Problem);

    public static Result Resolve(CycleContext context, WorkTask task, string worktree, string main, CancellationToken stop)
    {
        var git = context.Git;
        var work = context.Work;
        git.Try(worktree, "merge", "--no-ff", "--no-commit", "--quiet", main);
        var conflicted = git.Run(worktree, "diff", "--name-only", "--diff-filter=U")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var files = string.Join(", ", conflicted);
        if (conflicted.Length > 0)
        {
            if (work.Backend == Backend.Command && work.CommandFor(WorkRole.Resolver) is null)
                return Abort(git, worktree, $"it conflicts with main in {files}, and there is no resolver_command to settle it");
            context.Say($"{task.Id}: conflicts with main in {files}; the resolver tries once");
            var prompt = RolePrompts.Resolver(RolePrompts.RoleText(context.Project.ProjectDir, WorkRole.Resolver), task, conflicted);
            var resolver = RoleRunner.Run(context, WorkRole.Resolver, prompt, context.InWorktree(worktree), task, stop);
            if (!resolver.Outcome.Succeeded)
                return Abort(git, worktree, $"it conflicts with main in {files}; the resolver failed: {resolver.Outcome.Error}");
            var marked = conflicted.Where(file => HasMarkers(Path.Combine(worktree, file))).ToList();
            if (marked.Count > 0)
                return Abort(git, worktree, $"it conflicts with main; the resolver left conflict markers in {string.Join(", ", marked)}");
        }

        git.Run(worktree, "add", "--all");
        git.Run(worktree, "commit", "--quiet", "--no-edit");
        git.Run(worktree, "reset", "--quiet", "--soft", main);
        var note = conflicted.Length > 0 ? $"the resolver settled conflicts in {files}" : "merged without conflicts";
        git.Run(worktree, "commit", "--quiet", "-m", TaskWork.CommitMessage(task, engineCommitted: false) + $"Put on top of main by the work cycle: {note}.\n");
        return new Result(git.Commit("HEAD", worktree), null);
    }

    private static Result Abort(WorkGit git, string worktree, string problem)
    {
        git.Try(worktree, "merge", "--abort");
        return new Result(null, problem);
    }

    private static bool HasMarkers(string file) =>
        File.Exists(file) && File.ReadLines(file).Any(line => line.StartsWith("<<<<<<< ", StringComparison.Ordinal) || line.StartsWith(">>>>>>> ", StringComparison.Ordinal));
}
