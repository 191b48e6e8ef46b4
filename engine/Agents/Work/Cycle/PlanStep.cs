using Engine.Agents.Config;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Prompts;

namespace Engine.Agents.Work.Cycle;

/// <summary>
/// The planner, in a clean detached worktree of main, with its prompt, the context files, the
/// backlog, the open tasks and recent outcomes; its tasks are checked and stored in one transaction.
/// </summary>
internal static class PlanStep
{
    private const int RecentOutcomes = 20;

    /// <summary>The tasks it added, or null when the plan failed or was refused (the reason is said and recorded).</summary>
    public static IReadOnlyList<WorkTask>? Run(CycleContext context)
    {
        var git = context.Git;
        var tasks = context.Store.Tasks();
        var open = tasks.Where(t => t.State is TaskState.Queued or TaskState.Running or TaskState.Passed or TaskState.Blocked).ToList();
        var recent = tasks.Where(t => t.State is TaskState.Merged or TaskState.Failed or TaskState.Conflict or TaskState.Cancelled)
            .OrderByDescending(t => t.Updated).Take(RecentOutcomes).ToList();
        var projectDir = context.Project.ProjectDir;
        var prompt = RolePrompts.Planner(
            RolePrompts.RoleText(projectDir, WorkRole.Planner),
            context.Work.Context.Select(path => (path, ReadIfExists(Path.Combine(projectDir, path)))),
            context.Work.Backlog is { } backlog ? (backlog, ReadIfExists(Path.Combine(projectDir, backlog))) : null,
            open, recent);

        var main = git.Commit(context.Repository.MainRef) ?? throw new GitException($"the branch {context.Repository.MainBranch} is gone");
        var worktree = context.Layout.PlanWorktree(context.Cycle);
        context.Say($"plan: the planner runs on main ({main[..10]})");
        RoleResult planner;
        try
        {
            git.RemoveWorktree(worktree);
            git.AddDetachedWorktree(worktree, main);
            planner = RoleRunner.Run(context, WorkRole.Planner, prompt, context.InWorktree(worktree), null, context.Stopping);
        }
        finally
        {
            git.RemoveWorktree(worktree);
        }

        var outcome = planner.Outcome;
        var answer = outcome.Text ?? planner.Process.Stdout;
        if (!outcome.Succeeded)
            return Refused(context, outcome, planner, $"the planner failed: {outcome.Error}");

        var texts = context.Work.Backend == Backend.Command ? [planner.Process.Stdout, outcome.Text ?? ""] : new[] { outcome.Text ?? "" };
        var planned = Plan.Read(texts, out var problem);
        if (planned is null)
            return Refused(context, outcome, planner, problem!);
        var plan = Plan.Resolve(planned, tasks, out problem);
        if (problem is not null)
            return Refused(context, outcome, planner, $"plan refused: {problem}");

        var numbers = context.Store.AddTasks(plan, context.Cycle, CycleContext.Now);
        context.Store.RecordPlan(context.Cycle, answer, numbers.Count);
        var added = numbers.Select(n => context.Store.Task(n)!).ToList();
        context.Audit.Plan(context.Cycle, outcome, planner.Process.Stdout, added, plan.Dropped, null);
        foreach (var line in plan.Dropped)
            context.Say($"plan: dropped {line}");
        context.Say($"plan: {Describe(added)} ({TaskWork.Spent(outcome)})");
        return added;
    }

    private static IReadOnlyList<WorkTask>? Refused(CycleContext context, RoleOutcome outcome, RoleResult planner, string problem)
    {
        context.Store.RecordPlan(context.Cycle, outcome.Text ?? planner.Process.Stdout, 0);
        context.Audit.Plan(context.Cycle, outcome, planner.Process.Stdout, [], [], problem);
        context.Say($"plan: {problem}");
        return null;
    }

    private static string Describe(IReadOnlyList<WorkTask> added)
    {
        if (added.Count == 0)
            return "no new tasks";
        var fresh = added.ToDictionary(t => t.Number, t => (IReadOnlyList<long>)t.DependsOn.Where(d => added.Any(a => a.Number == d)).ToList());
        var waves = DependencyGraph.Waves(fresh).Values.Max();
        var list = string.Join(", ", added.Select(t => $"{t.Id} \"{t.Title}\"" + (t.DependsOn.Count > 0 ? $" after {string.Join(" and ", t.DependsOn.Select(TaskId.Format))}" : "")));
        return $"{added.Count} task{(added.Count == 1 ? "" : "s")} in {waves} wave{(waves == 1 ? "" : "s")}: {list}";
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
