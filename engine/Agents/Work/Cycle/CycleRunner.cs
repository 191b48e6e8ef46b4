using System.Runtime.InteropServices;
using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.Processes;
using Engine.Agents.State;
using Engine.Agents.Work.Commands;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Cycle;

internal sealed record CycleOptions(bool Plan, bool PlanOnly, int? MaxWorkers, string Trigger);

/// <summary>How a cycle came out: exit 0 only for <c>succeeded</c>.</summary>
internal enum CycleOutcome { Succeeded, Failed, Aborted, Paused, Busy }

internal sealed record CycleResult(
    CycleOutcome Outcome,
    long? Id,
    string? Message,
    IReadOnlyList<long> Planned,
    IReadOnlyList<long> Started,
    IReadOnlyList<long> Merged,
    IReadOnlyList<long> Failed,
    IReadOnlyList<long> Blocked,
    IReadOnlyList<long> Waiting,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? CostUsd,
    TokenUsage Tokens)
{
    public static CycleResult NotRun(CycleOutcome outcome, string message, long? id = null) =>
        new(outcome, id, message, [], [], [], [], [], [], null, null, null, default);
}

/// <summary>
/// One cycle, start to end: the lock, a look at what earlier cycles left, the pause, then plan,
/// dispatch and merge, and the record. SIGINT or SIGTERM stops it cleanly: workers are stopped with
/// everything they started, their tasks go back to the queue, and the cycle is recorded as aborted.
/// </summary>
internal static class CycleRunner
{
    public static CycleResult Run(Project project, CycleOptions options, Progress progress)
    {
        var work = project.Config.Work ?? throw WorkCommands.NoWorkTable(project.Config);
        var layout = new WorkLayout(project.Store.Layout);
        layout.Create();
        using var cycleLock = FileLock.TryAcquire(layout.Lock);
        if (cycleLock is null)
            return Busy(layout);

        using var store = WorkStore.Open(layout.Database);
        var git = new WorkGit(project.Config.ProjectDir);
        var repository = CyclePreflight.Check(project.Config, work, git, options);
        Reconciler.Run(store, git, layout, repository, progress);

        var control = store.Control();
        if (control.Paused)
            return CycleResult.NotRun(CycleOutcome.Paused, $"the project is paused: {control.PauseReason}; run 'agents resume' to continue");

        using var stopping = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            if (!stopping.IsCancellationRequested)
                progress.Line($"{signal.Signal}: stopping; running tasks go back to the queue");
            stopping.Cancel();
        }

        var pid = Environment.ProcessId;
        var marker = Guid.NewGuid().ToString("N");
        var startedAt = DateTimeOffset.UtcNow;
        var id = store.BeginCycle(options.Trigger, pid, ProcessTable.StartTicksIfAlive(pid), marker, startedAt);
        var context = new CycleContext(project.Config, work, layout, store, git, repository, progress, id, marker, stopping.Token);
        context.Say($"cycle {id}: started ({options.Trigger}, pid {pid}, up to {options.MaxWorkers ?? work.MaxWorkers} workers)");
        using var heartbeat = context.BeatEverySecond();

        IReadOnlyList<WorkTask>? planned = [];
        DispatchResult? dispatch = null;
        var outcome = CycleOutcome.Aborted;
        string? message = null;
        try
        {
            if (options.Plan)
            {
                var refusal = Patrol.RefuseStart(false, null, store.Totals(startedAt).Today, work.MaxBudgetPerDay);
                if (refusal is not null)
                    context.Say($"plan: skipped: {refusal}");
                else
                    planned = PlanStep.Run(context);
            }
            if (!options.PlanOnly && !stopping.IsCancellationRequested)
                dispatch = new Dispatcher(context, options.MaxWorkers ?? work.MaxWorkers).Run();
            (outcome, message) = Judge(stopping.IsCancellationRequested, planned, dispatch, store);
        }
        catch (Exception e)
        {
            message = e is GitException or CommandFailedException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            outcome = CycleOutcome.Failed;
            throw;
        }
        finally
        {
            // However it ends, its record says so; a kill -9 is the one end the next cycle settles instead.
            store.EndCycle(id, outcome switch
            {
                CycleOutcome.Succeeded => CycleState.Succeeded,
                CycleOutcome.Aborted => CycleState.Aborted,
                _ => CycleState.Failed,
            }, dispatch?.Merged.Count ?? 0, dispatch?.Failed.Count ?? 0, message, DateTimeOffset.UtcNow);
        }

        var record = store.Cycle(id)!;
        context.Say($"cycle {id}: {outcome.ToString().ToLowerInvariant()}{(message is null ? "" : ": " + message)} "
            + $"({record.Merged} merged, {record.Failed} failed; {(record.CostUsd is { } usd ? Patrol.Usd(usd) : "cost unknown")}, {record.Tokens.Total} tokens)");
        return new CycleResult(outcome, id, message, planned?.Select(t => t.Number).ToList() ?? [], dispatch?.Started ?? [], dispatch?.Merged ?? [],
            dispatch?.Failed ?? [], dispatch?.Blocked ?? [], dispatch?.Waiting ?? [], record.Started, record.Ended, record.CostUsd, record.Tokens);
    }

    /// <summary>Succeeded only when the plan (if any) worked and every task this cycle dispatched merged.</summary>
    private static (CycleOutcome, string?) Judge(bool stopped, IReadOnlyList<WorkTask>? planned, DispatchResult? dispatch, WorkStore store)
    {
        if (stopped)
            return (CycleOutcome.Aborted, "stopped by a signal; running tasks went back to the queue");
        var problems = new List<string>();
        if (planned is null)
            problems.Add("the plan failed");
        if (dispatch is not null)
        {
            if (dispatch.Failed.Count > 0)
                problems.Add($"{Ids(dispatch.Failed)} failed");
            if (dispatch.Blocked.Count > 0)
                problems.Add($"{Ids(dispatch.Blocked)} blocked");
            if (dispatch.Waiting.Count > 0)
                problems.Add($"{Ids(dispatch.Waiting)} passed but wait to merge");
            problems.AddRange(dispatch.Unfinished.Select(u => $"{TaskId.Format(u.Task)} {(u.State == TaskState.Cancelled ? "was cancelled" : "did not finish")}"));
            var stillQueued = store.Tasks(TaskState.Queued).Count;
            if (dispatch.Refusal is not null && stillQueued > 0)
                problems.Add($"{stillQueued} queued task(s) did not start: {dispatch.Refusal}");
        }
        return problems.Count == 0 ? (CycleOutcome.Succeeded, null) : (CycleOutcome.Failed, string.Join("; ", problems));
    }

    private static string Ids(IReadOnlyList<long> numbers) => string.Join(", ", numbers.Select(TaskId.Format));

    private static CycleResult Busy(WorkLayout layout)
    {
        using var store = WorkStore.Open(layout.Database);
        var running = store.UnfinishedCycles().LastOrDefault();
        var message = running is null
            ? $"another cycle of this project holds {layout.Lock}; wait for it to end"
            : $"cycle {running.Id} is running (pid {running.Pid}, started {running.Started.ToLocalTime():yyyy-MM-dd HH:mm:ss}); wait for it to end";
        return CycleResult.NotRun(CycleOutcome.Busy, message, running?.Id);
    }
}
