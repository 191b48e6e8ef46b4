using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Output;

namespace Orchestrator.Work;

/// <summary>Tasks --json.</summary>
/// <param name="WorkCycles">False when the project has no work cycles (then there are no tasks).</param>
internal sealed record TasksDocument(string Project, bool WorkCycles, IReadOnlyList<WorkTask> Tasks);

/// <summary>AddTask, Tasks, PauseProject and ResumeProject: one project's work through <see cref="ProjectWork"/>, said to the operator.</summary>
internal static class WorkCommands
{
    public static void Pause(FleetProject project, string? reason, bool dryRun, CancellationToken cancel) =>
        Say(project, WorkVerbs.Pause(reason), dryRun, "nothing to pause", () => ProjectWork.PauseAsync(project, reason, cancel),
            _ => $"paused{(reason is null ? "" : $" ({reason})")}: no task starts until {ShellWords.Runbook("ResumeProject", ("--project", [project.Name]))}; a cycle that runs finishes the tasks it started");

    public static void Resume(FleetProject project, bool dryRun, CancellationToken cancel) =>
        Say(project, WorkVerbs.Resume(), dryRun, "nothing to resume", () => ProjectWork.ResumeAsync(project, cancel));

    public static void AddTask(FleetProject project, NewTask task, bool dryRun, CancellationToken cancel)
    {
        string[] arguments;
        try
        {
            arguments = WorkVerbs.AddTask(task);
        }
        catch (ArgumentException e)
        {
            throw new TargetFailedException(e.Message, 2);
        }
        Say(project, arguments, dryRun, "nothing queued", () => ProjectWork.AddTaskAsync(project, task, cancel),
            id => $"queued {id}: {task.Title}");
    }

    public static void Tasks(FleetProject project, string? state, bool json, TextWriter output, CancellationToken cancel)
    {
        var reply = ProjectWork.TasksAsync(project, state, cancel).GetAwaiter().GetResult();
        Fail(reply);
        var tasks = reply.Value ?? [];
        if (json)
        {
            JsonOutput.Write(output, new TasksDocument(project.Name, reply.Outcome == WorkOutcome.Done, tasks), RunbookJson.Default.TasksDocument);
            return;
        }
        if (reply.Outcome == WorkOutcome.NoWorkCycles)
            output.WriteLine($"{project.Name}: {reply.Message}");
        else if (tasks.Count == 0)
            output.WriteLine(state is not null
                ? $"{project.Name}: no {state} tasks"
                : $"{project.Name}: no tasks yet; add one with {ShellWords.Runbook("AddTask", ("--project", [project.Name]), ("--title", ["TITLE"]))} or run {ShellWords.Runbook("RunCycle", ("--project", [project.Name]))}");
        else
            TextTable.Write(output, ["ID", "STATE", "COST", "AFTER", "TITLE"], tasks.Select(TaskRow));
    }

    /// <summary>A task as a row: its state with its liveness while stale, its cost, what it waits for, its title and why it failed or waits.</summary>
    public static IReadOnlyList<string> TaskRow(WorkTask task) =>
    [
        task.Id,
        task.State + (task.Liveness is { } live && live != "running" ? $" ({live})" : ""),
        Money.Usd(task.CostUsd),
        task.DependsOn.Count == 0 ? "-" : string.Join(",", task.DependsOn),
        task.Title + (task.Message is { } message && task.State != "merged" ? $"  [{message}]" : ""),
    ];

    private static void Say(FleetProject project, string[] arguments, bool dryRun, string nothingDone, Func<Task<WorkReply<string>>> run,
        Func<string, string>? said = null)
    {
        if (dryRun)
        {
            Console.WriteLine($"would run {ProjectWork.Describe(project, arguments)}");
            return;
        }
        var reply = run().GetAwaiter().GetResult();
        Fail(reply);
        Console.WriteLine(reply.Outcome == WorkOutcome.NoWorkCycles
            ? $"{project.Name}: {reply.Message}; {nothingDone}"
            : $"{project.Name}: {(said is null ? reply.Message : said(reply.Value!))}");
    }

    private static void Fail<T>(WorkReply<T> reply)
    {
        if (reply.Outcome is WorkOutcome.Failed or WorkOutcome.Refused)
            throw new TargetFailedException(reply.Message.StartsWith($"project '{reply.Project}'") ? reply.Message : $"project '{reply.Project}': {reply.Message}",
                reply.Outcome == WorkOutcome.Refused ? 2 : 1);
    }
}
