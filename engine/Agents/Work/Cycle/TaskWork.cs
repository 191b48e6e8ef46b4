using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Prompts;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Cycle;

/// <summary>
/// One task from queued to passed or failed: its worktree on a fresh branch from main, the worker,
/// a commit of whatever it left, then the judge (the gate, and the reviewer when ai_review is on).
/// </summary>
internal static class TaskWork
{
    public static void Run(CycleContext context, WorkTask queued, CancellationToken stop)
    {
        var git = context.Git;
        var main = git.Commit(context.Repository.MainRef)
            ?? throw new GitException($"the branch {context.Repository.MainBranch} is gone");
        var start = context.Store.Apply(queued.Number, TaskEvent.Start,
            new TaskUpdate { Cycle = context.Cycle, CountAttempt = true, Started = CycleContext.Now, BaseCommit = main, ClearMessage = true },
            $"cycle {context.Cycle}", CycleContext.Now);
        if (!start.Moved)
            return;
        var task = context.Store.Task(queued.Number)!;
        var worktree = context.Layout.TaskWorktree(task.Id);
        context.Say($"{task.Id}: running \"{task.Title}\" (attempt {task.Attempts}, branch {task.Branch} from {main[..10]})");

        try
        {
            git.RemoveWorktree(worktree);
            git.AddWorktree(worktree, task.Branch, main);
            var directory = context.InWorktree(worktree);

            var prompt = RolePrompts.Worker(RolePrompts.RoleText(context.Project.ProjectDir, WorkRole.Worker), task, Gate.Describe(context.Work));
            var worker = RoleRunner.Run(context, WorkRole.Worker, prompt, directory, task, stop);
            var (head, on) = git.Head(worktree);
            if (on != "refs/heads/" + task.Branch)
            {
                // What it committed elsewhere never passed the gate, and what it left is not committed there either.
                Failed(context, task, worktree, $"the worker left its branch {task.Branch} (its worktree is on {on}); a worker works on its own branch only",
                    new TaskUpdate { Summary = worker.Outcome.Text });
                return;
            }
            var committed = git.CommitAll(worktree, CommitMessage(task, engineCommitted: true));
            if (committed)
                head = git.Commit("HEAD", worktree)!;
            var diffStat = head == main ? null : git.DiffStat(worktree, main, head);
            context.Audit.Worker(task, worker.Outcome, diffStat, committed);

            if (stop.IsCancellationRequested)
            {
                Interrupted(context, task, worktree);
                return;
            }
            var update = new TaskUpdate { HeadCommit = head, DiffStat = diffStat, Summary = worker.Outcome.Text };
            if (!worker.Outcome.Succeeded)
            {
                Failed(context, task, worktree, $"the worker failed: {worker.Outcome.Error}", update);
                return;
            }
            if (diffStat is null)
            {
                Failed(context, task, worktree, "the worker changed nothing", update);
                return;
            }
            context.Say($"{task.Id}: worker done ({diffStat}; {Spent(worker.Outcome)})");

            var verdict = Judge(context, task, worktree, directory, main, stop);
            if (stop.IsCancellationRequested)
            {
                Interrupted(context, task, worktree);
                return;
            }
            update = update with { Verdict = verdict.Passed ? "pass" : "fail", Reasons = verdict.Reasons, GateOutput = verdict.GateOutput };
            if (!verdict.Passed)
            {
                Failed(context, task, worktree, verdict.Failure!, update);
                return;
            }
            var passed = context.Store.Apply(task.Number, TaskEvent.Pass, update, string.Join("; ", verdict.Reasons), CycleContext.Now);
            if (passed.Moved)
                context.Say($"{task.Id}: passed ({string.Join("; ", verdict.Reasons)})");
            else
                Abandoned(context, task, worktree, passed.State);
        }
        catch (GitException e)
        {
            Failed(context, task, worktree, e.Message, TaskUpdate.Nothing);
        }
    }

    /// <param name="Failure">The reason that decided a fail.</param>
    private sealed record Judgement(string? Failure, IReadOnlyList<string> Reasons, string? GateOutput)
    {
        public bool Passed => Failure is null;
    }

    private static Judgement Judge(CycleContext context, WorkTask task, string worktree, string directory, string main, CancellationToken stop)
    {
        var gate = Gate.Run(context, directory, task, "gate", stop);
        var reasons = gate.Reasons.ToList();
        if (reasons.Count == 0)
            reasons.Add("no gate configured");
        RoleOutcome? review = null;
        var failure = gate.Checks.FirstOrDefault(c => !c.Passed)?.Describe();
        if (failure is null && context.Work.AiReview && !stop.IsCancellationRequested)
        {
            var diff = context.Git.Run(worktree, "diff", main, "HEAD");
            var prompt = RolePrompts.Reviewer(RolePrompts.RoleText(context.Project.ProjectDir, WorkRole.Reviewer), task, diff);
            var reviewer = RoleRunner.Run(context, WorkRole.Reviewer, prompt, directory, task, stop);
            review = reviewer.Outcome;
            if (!review.Succeeded)
                failure = $"the reviewer failed: {review.Error}";
            else
            {
                var verdict = Verdict.Read([review.Text ?? "", reviewer.Process.Stdout]);
                reasons.AddRange(verdict.Reasons.Select(r => (verdict.Passed ? "review: " : "review failed: ") + r));
                if (verdict.Passed && verdict.Reasons.Count == 0)
                    reasons.Add("review passed");
                if (!verdict.Passed)
                    failure = "review failed: " + string.Join("; ", verdict.Reasons);
            }
            if (failure is not null && !reasons.Contains(failure))
                reasons.Add(failure);
        }
        context.Audit.Verdict(task, "verdict", failure is null, reasons, gate, review);
        return new Judgement(failure, reasons, gate.Output);
    }

    public static string CommitMessage(WorkTask task, bool engineCommitted) =>
        $"{task.Title} ({task.Id})\n\n"
        + (engineCommitted ? "Committed by the work cycle: the worker left these changes in its worktree.\n" : "");

    public static string Spent(RoleOutcome outcome) =>
        $"{(outcome.CostUsd is { } usd ? Patrol.Usd(usd) : "cost unknown")}, {outcome.Tokens.Total} tokens";

    /// <summary>A failed task keeps its branch for a person to look at; its worktree goes.</summary>
    private static void Failed(CycleContext context, WorkTask task, string worktree, string reason, TaskUpdate update)
    {
        var move = context.Fail(task, TaskEvent.Fail, reason, update);
        context.Git.RemoveWorktree(worktree);
        if (!move.Moved)
            Abandoned(context, task, worktree, move.State);
    }

    /// <summary>The cycle is stopping: the task goes back to the queue, and starts afresh next time.</summary>
    private static void Interrupted(CycleContext context, WorkTask task, string worktree)
    {
        context.Git.RemoveWorktree(worktree);
        var move = context.Store.Apply(task.Number, TaskEvent.Requeue, TaskUpdate.Nothing, "the cycle stopped before it finished", CycleContext.Now);
        if (move.Moved)
            context.Say($"{task.Id}: queued again (the cycle is stopping)");
        else
            Abandoned(context, task, worktree, move.State);
    }

    /// <summary>Someone moved the task meanwhile (cancelled it): what this run made is thrown away.</summary>
    private static void Abandoned(CycleContext context, WorkTask task, string worktree, TaskState now)
    {
        context.Git.RemoveWorktree(worktree);
        if (now == TaskState.Cancelled)
        {
            context.Git.DeleteBranch(task.Branch);
            context.Say($"{task.Id}: cancelled; its work is dropped");
        }
    }
}
