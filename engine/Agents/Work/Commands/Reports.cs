using Engine.Agents.Processes;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Cycle;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Store;

namespace Engine.Agents.Work.Commands;

/// <summary>Turns what the database holds into the reports the commands print, liveness seen now.</summary>
internal static class Reports
{
    public static TokensReport Tokens(TokenUsage t) => new(t.Input, t.Output, t.CacheRead, t.CacheCreation, t.Total);

    public static double? Usd(double? amount) => amount is { } usd ? Math.Round(usd, 6) : null;

    public static TaskReport[] Tasks(WorkStore store, IReadOnlyList<WorkTask> tasks, WorkConfig work, DateTimeOffset now)
    {
        var spends = store.Spends();
        var live = tasks.Any(t => t.State == TaskState.Running) ? LiveRuns(store, work, now) : [];
        return tasks.Select(t => Task(t, spends.GetValueOrDefault(t.Number, Spend.None), live.GetValueOrDefault(t.Number))).ToArray();
    }

    public static TaskDetailReport Detail(WorkStore store, TaskDetail detail, WorkConfig work, DateTimeOffset now)
    {
        var task = detail.Task;
        var current = detail.Runs.LastOrDefault(r => r.Outcome == "running");
        var brief = Task(task, detail.Spend, current is null ? default : Live(current, CyclesAlive(store, [current.Cycle]), work, now));
        return new TaskDetailReport
        {
            Id = brief.Id, Title = brief.Title, Description = brief.Description, Type = brief.Type, State = brief.State,
            DependsOn = brief.DependsOn, Branch = brief.Branch, CostUsd = brief.CostUsd, Tokens = brief.Tokens,
            Attempts = brief.Attempts, Cycle = brief.Cycle, Created = brief.Created, Updated = brief.Updated,
            Message = brief.Message, Liveness = brief.Liveness, Heartbeat = brief.Heartbeat, MergedCommit = brief.MergedCommit,
            DurationSeconds = brief.DurationSeconds,
            BaseCommit = task.BaseCommit,
            HeadCommit = task.HeadCommit,
            Started = task.Started,
            Finished = task.Finished,
            Summary = detail.Summary,
            DiffStat = detail.DiffStat,
            Verdict = detail.Verdict,
            Reasons = detail.Reasons,
            GateOutput = detail.GateOutput,
            History = detail.Events.Select(e => new TaskEventReport(e.At, e.State.Name(), e.Note)).ToList(),
            Runs = detail.Runs.Select(Run).ToList(),
        };
    }

    private static TaskReport Task(WorkTask t, Spend spend, (string Liveness, DateTimeOffset? Heartbeat) live) => new()
    {
        Id = t.Id,
        Title = t.Title,
        Description = t.Description,
        Type = t.Type,
        State = t.State.Name(),
        DependsOn = t.DependsOn.Select(TaskId.Format).ToList(),
        Branch = t.Branch,
        CostUsd = Usd(spend.CostUsd),
        Tokens = Tokens(spend.Tokens),
        Attempts = t.Attempts,
        Cycle = t.Cycle,
        Created = t.Created,
        Updated = t.Updated,
        Message = t.Message,
        Liveness = t.State == TaskState.Running ? live.Liveness ?? Liveness.Stopped.Name() : null,
        Heartbeat = t.State == TaskState.Running ? live.Heartbeat : null,
        MergedCommit = t.MergedCommit,
        DurationSeconds = t.Started is { } started && t.Finished is { } finished && finished >= started
            ? Math.Round((finished - started).TotalSeconds, 1)
            : null,
    };

    /// <summary>The liveness of each running task's current run: its worker's last output, and whether its process lives.</summary>
    private static Dictionary<long, (string, DateTimeOffset?)> LiveRuns(WorkStore store, WorkConfig work, DateTimeOffset now)
    {
        var runs = store.UnfinishedRuns().Where(r => r.Task is not null).ToList();
        var cycles = CyclesAlive(store, runs.Select(r => r.Cycle));
        return runs.GroupBy(r => r.Task!.Value).ToDictionary(g => g.Key, g => Live(g.Last(), cycles, work, now));
    }

    /// <summary>
    /// A run is stopped when its process is gone, and also when its cycle's is: a worker orphaned by a
    /// killed cycle may still print, but nothing will take its work, and the next cycle stops it.
    /// </summary>
    private static (string, DateTimeOffset?) Live(RunRecord run, IReadOnlySet<long> cyclesAlive, WorkConfig work, DateTimeOffset now)
    {
        var alive = cyclesAlive.Contains(run.Cycle) && run.Pid is { } pid && ProcessTable.IsAlive(pid, run.PidStart);
        return (work.Heartbeat.Classify(run.Heartbeat, alive, now).Name(), run.Heartbeat);
    }

    private static IReadOnlySet<long> CyclesAlive(WorkStore store, IEnumerable<long> cycles) =>
        cycles.Distinct().Select(store.Cycle).OfType<CycleRecord>()
            .Where(c => c.State == CycleState.Running && ProcessTable.IsAlive(c.Pid, c.PidStart)).Select(c => c.Id).ToHashSet();

    public static RunReport Run(RunRecord r) =>
        new(r.Id, r.Cycle, r.Role, r.Backend, r.Model, r.Started, r.Ended, r.Heartbeat, r.Pid, r.Outcome, r.Error, Usd(r.CostUsd), Tokens(r.Tokens), r.Turns, r.SessionId);

    public static CycleReport Cycle(CycleRecord c, WorkConfig work, DateTimeOffset now) =>
        new(c.Id, c.Trigger, c.State.Name(), c.Started, c.Ended, c.Heartbeat,
            c.State == CycleState.Running ? CycleLiveness(c, work, now).Name() : null,
            c.Pid, c.Planned, c.Merged, c.Failed, Usd(c.CostUsd), Tokens(c.Tokens), c.Message);

    /// <summary>A cycle recorded as running whose process is gone (killed) is stopped, whatever its heartbeat.</summary>
    public static Liveness CycleLiveness(CycleRecord c, WorkConfig work, DateTimeOffset now) =>
        work.Heartbeat.Classify(c.Heartbeat, ProcessTable.IsAlive(c.Pid, c.PidStart), now);

    public static CycleResultReport Result(CycleResult r, IReadOnlyList<string> problems) =>
        new(r.Outcome.ToString().ToLowerInvariant(), r.Id, r.Message, r.StartedAt, r.EndedAt, Ids(r.Planned), Ids(r.Started), Ids(r.Merged),
            Ids(r.Failed), Ids(r.Blocked), Ids(r.Waiting), Usd(r.CostUsd), Tokens(r.Tokens), problems);

    private static IReadOnlyList<string> Ids(IReadOnlyList<long> numbers) => numbers.Select(TaskId.Format).ToList();

    public static CostsReport Costs(IReadOnlyList<CostRow> rows, DateOnly? since) =>
        new(since?.ToString("yyyy-MM-dd"),
            rows.Select(r => new CostLineReport(r.Day, r.Role, r.Model, r.Runs, r.RunsWithoutCost, Usd(r.CostUsd), Tokens(r.Tokens))).ToList(),
            Usd(rows.Sum(r => r.CostUsd ?? 0)) ?? 0,
            Tokens(rows.Aggregate(default(TokenUsage), (sum, r) => sum + r.Tokens)));

    /// <summary>The <c>work</c> object of <c>status --json</c>; a project whose cycles never ran has the zero report.</summary>
    public static WorkStatusReport Status(WorkLayout layout, WorkConfig work, DateTimeOffset now)
    {
        var (stale, stopped) = (work.Heartbeat.StaleAfter.TotalSeconds, work.Heartbeat.StoppedAfter.TotalSeconds);
        if (!File.Exists(layout.Database))
            return new WorkStatusReport(false, null, 0, Liveness.Stopped.Name(), null, stale, stopped, null, null,
                new TaskCountsReport(0, 0, 0, 0, 0, 0, 0, 0), 0, 0, 0, null);
        using var store = WorkStore.Open(layout.Database);
        var control = store.Control();
        var running = store.UnfinishedCycles().LastOrDefault();
        var last = store.LastEndedCycle();
        var counts = store.Counts();
        var (today, total, tokensToday) = store.Totals(now);
        var lastStart = store.LastCycleStart();
        var live = running is null ? null : new LiveCycleReport(running.Id, running.Started, running.Heartbeat, CycleLiveness(running, work, now).Name(), running.Pid);
        return new WorkStatusReport(
            control.Paused,
            control.PauseReason,
            control.FailuresInARow,
            live?.Liveness ?? Liveness.Stopped.Name(),
            live?.Heartbeat ?? last?.Ended,
            stale,
            stopped,
            live,
            last is null ? null : new LastCycleReport(last.Id, last.State.Name(), last.Started, last.Ended, last.Message),
            new TaskCountsReport(counts[TaskState.Queued], counts[TaskState.Running], counts[TaskState.Passed], counts[TaskState.Failed],
                counts[TaskState.Merged], counts[TaskState.Blocked], counts[TaskState.Conflict], counts[TaskState.Cancelled]),
            Usd(today) ?? 0,
            Usd(total) ?? 0,
            tokensToday.Total,
            work.Interval is { } interval && !control.Paused && lastStart is { } started ? started + interval : null);
    }
}
