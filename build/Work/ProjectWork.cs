using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Output;
using Orchestrator.Processes;

namespace Orchestrator.Work;

/// <summary>How a work command went in one project.</summary>
internal enum WorkOutcome
{
    Done,
    /// <summary>The project has no work cycles: no [work] table, an engine that predates them, or the Python harness.</summary>
    NoWorkCycles,
    /// <summary>The harness refused what it was asked (bad usage, exit 2): an unknown task id or state, say.</summary>
    Refused,
    Failed,
}

/// <summary>What one work command answered in one project.</summary>
/// <param name="Message">One line: what the harness said it did, <see cref="WorkStatus.None"/>, or why it failed.</param>
/// <param name="Value">What the command reports (the new task's id, the tasks, the costs); null unless <see cref="Outcome"/> is Done.</param>
internal sealed record WorkReply<T>(string Project, WorkOutcome Outcome, string Message, T? Value)
{
    public bool Succeeded => Outcome == WorkOutcome.Done;
}

/// <summary>How a cycle went in one project; the last three are skips.</summary>
internal enum CycleOutcome { Succeeded, Failed, Paused, NoWorkCycles, Disabled }

/// <summary>One project's cycle, as RunCycle prints it and the dashboard shows it.</summary>
/// <param name="Message">One line: what the cycle did (merged, failed, cost), why it was skipped, or why it failed.</param>
/// <param name="Result">The harness's <c>cycle --json</c> result; null when the cycle did not run or printed none.</param>
internal sealed record CycleRun(string Project, CycleOutcome Outcome, string Message, CycleResult? Result, TimeSpan Took)
{
    public bool Skipped => Outcome is CycleOutcome.Paused or CycleOutcome.NoWorkCycles or CycleOutcome.Disabled;
}

/// <summary>
/// A project's work cycles, driven through its harness's command line only (<c>engine/agents cycle --json</c>, <c>task
/// add</c>, <c>tasks --json</c>, <c>pause</c>, <c>resume</c>, <c>history --json</c>, <c>costs --json</c>). Each call
/// returns what happened and writes nothing to the console, so the targets and the dashboard run the same code.
/// A project whose harness has no work cycles answers <see cref="WorkOutcome.NoWorkCycles"/>, never an error.
/// </summary>
internal static class ProjectWork
{
    /// <summary>One cycle (<c>cycle --json</c>); the harness's progress lines go to <paramref name="progress"/> as they come.</summary>
    /// <exception cref="OperationCanceledException">Cancelled: the harness (which stops its workers and requeues their tasks) was told to stop.</exception>
    public static async Task<CycleRun> RunCycleAsync(FleetProject project, bool noPlan, TextWriter? progress = null, CancellationToken cancel = default)
    {
        var started = DateTimeOffset.UtcNow;
        var arguments = WorkVerbs.Cycle(noPlan);
        var answer = await AskAsync(project, arguments, progress, cancel);
        var took = DateTimeOffset.UtcNow - started;
        if (answer.Outcome is { } known)
            return new CycleRun(project.Name, known == WorkOutcome.NoWorkCycles ? CycleOutcome.NoWorkCycles : CycleOutcome.Failed, answer.Message, null, took);
        var result = TryRead(answer.Result!.Output, RunbookJson.Default.CycleResult);
        if (result is null)
            return await FailedCycleAsync(project, answer, took, cancel);
        var outcome = result.Outcome switch
        {
            "succeeded" when answer.Result.Succeeded => CycleOutcome.Succeeded,
            "paused" => CycleOutcome.Paused,
            _ => CycleOutcome.Failed,
        };
        return new CycleRun(project.Name, outcome, CycleSummary.Of(result), result, took);
    }

    public static Task<WorkReply<string>> PauseAsync(FleetProject project, string? reason, CancellationToken cancel = default) =>
        SayAsync(project, WorkVerbs.Pause(reason), cancel);

    public static Task<WorkReply<string>> ResumeAsync(FleetProject project, CancellationToken cancel = default) =>
        SayAsync(project, WorkVerbs.Resume(), cancel);

    /// <summary>Queues a task; the reply's value is its id (t7).</summary>
    /// <exception cref="ArgumentException">The title cannot be handed to the harness (empty, or it starts with '-').</exception>
    public static Task<WorkReply<string>> AddTaskAsync(FleetProject project, NewTask task, CancellationToken cancel = default) =>
        SayAsync(project, WorkVerbs.AddTask(task), cancel);

    /// <summary>The project's tasks, oldest first; only those in <paramref name="state"/> when given.</summary>
    public static Task<WorkReply<IReadOnlyList<WorkTask>>> TasksAsync(FleetProject project, string? state = null, CancellationToken cancel = default) =>
        ReadAsync(project, WorkVerbs.Tasks(state), RunbookJson.Default.IReadOnlyListWorkTask, cancel);

    /// <summary>The project's cycles, newest first (the harness's default number, 20, when no limit is given).</summary>
    public static Task<WorkReply<IReadOnlyList<CycleRecord>>> HistoryAsync(FleetProject project, int? limit = null, CancellationToken cancel = default) =>
        ReadAsync(project, WorkVerbs.History(limit), RunbookJson.Default.IReadOnlyListCycleRecord, cancel);

    /// <summary>The project's spend per UTC day, role and model, from <paramref name="since"/> on when given.</summary>
    public static Task<WorkReply<ProjectCosts>> CostsAsync(FleetProject project, DateOnly? since = null, CancellationToken cancel = default) =>
        ReadAsync(project, WorkVerbs.Costs(since), RunbookJson.Default.ProjectCosts, cancel);

    /// <summary>The command a work verb runs, as the operator would type it in the project's folder: what --dry-run prints.</summary>
    public static string Describe(FleetProject project, IReadOnlyList<string> arguments) =>
        $"{ProjectAgents.HarnessOf(project).Display([.. arguments])} in {project.Directory}";

    private static async Task<WorkReply<string>> SayAsync(FleetProject project, string[] arguments, CancellationToken cancel)
    {
        var answer = await AskAsync(project, arguments, null, cancel);
        if (answer.Outcome is { } known)
            return new WorkReply<string>(project.Name, known, answer.Message, null);
        if (!answer.Result!.Succeeded)
            return await RefusedAsync<string>(project, answer, cancel);
        var said = answer.Result.Output.Trim();
        return new WorkReply<string>(project.Name, WorkOutcome.Done, said, said);
    }

    private static async Task<WorkReply<T>> ReadAsync<T>(FleetProject project, string[] arguments, JsonTypeInfo<T> type, CancellationToken cancel) where T : class
    {
        var answer = await AskAsync(project, arguments, null, cancel);
        if (answer.Outcome is { } known)
            return new WorkReply<T>(project.Name, known, answer.Message, null);
        if (!answer.Result!.Succeeded)
            return await RefusedAsync<T>(project, answer, cancel);
        return TryRead(answer.Result.Output, type) is { } value
            ? new WorkReply<T>(project.Name, WorkOutcome.Done, "", value)
            : new WorkReply<T>(project.Name, WorkOutcome.Failed, $"{answer.Command} did not print the JSON engine/README.md documents", null);
    }

    /// <summary>What the harness answered, or (Outcome set) why it was not asked or could not answer.</summary>
    private sealed record Answer(string Command, CommandResult? Result, WorkOutcome? Outcome, string Message);

    private static async Task<Answer> AskAsync(FleetProject project, string[] arguments, TextWriter? progress, CancellationToken cancel)
    {
        HarnessEntry harness;
        try
        {
            harness = ProjectAgents.HarnessOf(project);
        }
        catch (TargetFailedException e)
        {
            // No clone, no harness: nothing could be asked (exit 2), as for the agents' targets.
            return new Answer("", null, WorkOutcome.Refused, e.Message);
        }
        var command = harness.Display(arguments);
        if (harness.IsPython)
            return new Answer(command, null, WorkOutcome.NoWorkCycles, $"{WorkStatus.None} ({harness.Display()} has none)");
        try
        {
            return new Answer(command, await harness.RunAsync(project.Directory, arguments, progress, cancel), null, "");
        }
        catch (Win32Exception e)
        {
            return new Answer(command, null, WorkOutcome.Failed, $"could not start the harness ({command}): {e.Message}");
        }
    }

    /// <summary>A verb that failed: the project has no work cycles (its status says so), the harness refused it (exit 2), or it failed.</summary>
    private static async Task<WorkReply<T>> RefusedAsync<T>(FleetProject project, Answer answer, CancellationToken cancel) where T : class
    {
        if (await HasNoWorkCyclesAsync(project, cancel))
            return new WorkReply<T>(project.Name, WorkOutcome.NoWorkCycles, WorkStatus.None, null);
        var result = answer.Result!;
        return new WorkReply<T>(project.Name, result.ExitCode == 2 ? WorkOutcome.Refused : WorkOutcome.Failed, Failure(answer), null);
    }

    private static async Task<CycleRun> FailedCycleAsync(FleetProject project, Answer answer, TimeSpan took, CancellationToken cancel) =>
        await HasNoWorkCyclesAsync(project, cancel)
            ? new CycleRun(project.Name, CycleOutcome.NoWorkCycles, WorkStatus.None, null, took)
            : new CycleRun(project.Name, CycleOutcome.Failed, Failure(answer), null, took);

    private static string Failure(Answer answer) => $"{answer.Command} exited {answer.Result!.ExitCode}: {answer.Result.FirstErrorLine}";

    /// <summary>
    /// Whether the project's status report has no work state: an agents.toml without [work] (<c>"work": null</c>) or
    /// an engine older than work cycles (no <c>work</c> key), whose work verbs fail for that reason alone.
    /// </summary>
    private static async Task<bool> HasNoWorkCyclesAsync(FleetProject project, CancellationToken cancel)
    {
        try
        {
            var status = await HarnessEntry.For(project.Directory).RunAsync(project.Directory, ["status", "--json"], null, cancel);
            if (!status.Succeeded)
                return false;
            using var document = JsonDocument.Parse(status.Output);
            return WorkStatus.Parse(document.RootElement) is null;
        }
        catch (Exception e) when (e is JsonException or TargetFailedException or Win32Exception)
        {
            return false;
        }
    }

    private static T? TryRead<T>(string output, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return output.Trim().Length == 0 ? null : JsonSerializer.Deserialize(output, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
