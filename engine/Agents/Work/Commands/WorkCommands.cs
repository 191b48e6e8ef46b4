using System.Globalization;
using System.Text.Json;
using Engine.Agents.Cli;
using Engine.Agents.Commands;
using Engine.Agents.Config;
using Engine.Agents.Work.Config;
using Engine.Agents.Work.Cycle;
using Engine.Agents.Work.Git;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Store;
using Microsoft.Data.Sqlite;

namespace Engine.Agents.Work.Commands;

/// <summary>The work verbs: cycle, task add/show/cancel/retry, tasks, pause, resume, history, costs.</summary>
internal static class WorkCommands
{
    public static int Run(Invocation invocation)
    {
        var request = invocation.Work!;
        var project = Project.Load(invocation);
        var work = project.Config.Work ?? throw NoWorkTable(project.Config);
        var layout = new WorkLayout(project.Store.Layout);
        try
        {
            if (request.Verb == WorkVerb.Cycle)
                return Cycle(project, request);
            layout.Create();
            using var store = WorkStore.Open(layout.Database);
            return request.Verb switch
            {
                WorkVerb.TaskAdd => Add(store, request),
                WorkVerb.TaskShow => Show(store, work, request),
                WorkVerb.TaskCancel => Change(store, request, TaskEvent.Cancel, "cancelled; a cycle running it stops its worker"),
                WorkVerb.TaskRetry => Change(store, request, TaskEvent.Retry, "queued again; the next cycle runs it from a fresh branch"),
                WorkVerb.Tasks => List(store, work, request),
                WorkVerb.Pause => Pause(store, request),
                WorkVerb.Resume => Resume(store),
                WorkVerb.History => History(store, work, request),
                _ => Costs(store, request),
            };
        }
        catch (SqliteException e)
        {
            throw new CommandFailedException($"{layout.Database}: {e.Message}; if the file is damaged, move it away (the next command starts a fresh one)");
        }
    }

    public static ConfigException NoWorkTable(ProjectConfig config) =>
        new($"{config.DisplayPath}: no [work] table; add one to run work cycles, e.g. [work] with backend = \"claude\" (see engine/README.md, 'Work cycles')");

    private static int Cycle(Project project, WorkRequest request)
    {
        var progress = new Progress(request.Json ? Console.Error : Console.Out);
        var options = new CycleOptions(!request.NoPlan, request.PlanOnly, request.MaxWorkers, request.Scheduled ? "scheduled" : "manual");
        CycleResult result;
        IReadOnlyList<string> problems = [];
        try
        {
            result = CycleRunner.Run(project, options, progress);
        }
        catch (PreflightException e)
        {
            problems = e.Problems;
            foreach (var problem in problems)
                Console.Error.WriteLine(problem);
            result = CycleResult.NotRun(CycleOutcome.Failed, $"the cycle did not start: {problems.Count} problem(s)");
        }
        catch (Exception e) when (e is GitException or CommandFailedException)
        {
            // The cycle's record (when it began) already says so; the caller gets the same one line.
            result = CycleResult.NotRun(CycleOutcome.Failed, e.Message);
            problems = [e.Message];
        }
        if (request.Json)
            Console.WriteLine(JsonSerializer.Serialize(Reports.Result(result, problems), WorkJson.Default.CycleResultReport));
        if (result.Outcome is CycleOutcome.Busy or CycleOutcome.Paused || problems.Count > 0)
            Console.Error.WriteLine($"agents: {result.Message}");
        return result.Outcome == CycleOutcome.Succeeded ? 0 : 1;
    }

    private static int Add(WorkStore store, WorkRequest request)
    {
        var known = store.Tasks().Select(t => t.Number).ToHashSet();
        if (request.DependsOn.FirstOrDefault(d => !known.Contains(d)) is var unknown and > 0)
            throw new UsageException($"--depends-on: there is no task {TaskId.Format(unknown)}; see 'agents tasks'");
        var number = store.AddTask(request.Title!, request.Description, request.Type, request.DependsOn.Distinct().ToList(), null, DateTimeOffset.UtcNow);
        Console.WriteLine(TaskId.Format(number));
        return 0;
    }

    private static WorkTask Find(WorkStore store, long number) =>
        store.Task(number) ?? throw new UsageException($"there is no task {TaskId.Format(number)}; see 'agents tasks'");

    private static int Change(WorkStore store, WorkRequest request, TaskEvent change, string done)
    {
        var task = Find(store, request.Task!.Value);
        var move = store.Apply(task.Number, change, new TaskUpdate { ClearMessage = change == TaskEvent.Retry }, "by hand", DateTimeOffset.UtcNow);
        if (!move.Moved)
            throw new CommandFailedException(TaskTransitions.Refusal(task.Id, move.State, change));
        Console.WriteLine($"{task.Id}: {done} (was {task.State.Name()})");
        return 0;
    }

    private static int List(WorkStore store, WorkConfig work, WorkRequest request)
    {
        var tasks = Reports.Tasks(store, store.Tasks(request.State), work, DateTimeOffset.UtcNow);
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(tasks, WorkJson.Default.TaskReportArray));
            return 0;
        }
        if (tasks.Length == 0)
        {
            Console.WriteLine(request.State is { } s ? $"no {s.Name()} tasks" : "no tasks yet; add one with 'agents task add TITLE' or run 'agents cycle'");
            return 0;
        }
        TextTable.Print(["ID", "STATE", "COST", "AFTER", "TITLE"], tasks.Select(t => new[]
        {
            t.Id,
            t.State + (t.Liveness is { } live && live != "running" ? $" ({live})" : ""),
            Money(t.CostUsd),
            t.DependsOn.Count == 0 ? "-" : string.Join(",", t.DependsOn),
            t.Title + (t.Message is { } m && t.State is not "merged" ? $"  [{m}]" : ""),
        }).ToList());
        return 0;
    }

    private static int Show(WorkStore store, WorkConfig work, WorkRequest request)
    {
        var detail = store.Detail(Find(store, request.Task!.Value).Number)!;
        var report = Reports.Detail(store, detail, work, DateTimeOffset.UtcNow);
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, WorkJson.Default.TaskDetailReport));
            return 0;
        }
        Console.WriteLine($"{report.Id}: {report.Title}");
        void Line(string name, object? value)
        {
            if (value is not null && value.ToString()!.Length > 0)
                Console.WriteLine($"  {name,-12} {value}");
        }
        Line("state", report.State + (report.Liveness is { } live ? $" ({live})" : ""));
        Line("message", report.Message);
        Line("type", report.Type);
        Line("after", report.DependsOn.Count == 0 ? null : string.Join(", ", report.DependsOn));
        Line("branch", report.Branch);
        Line("attempts", report.Attempts);
        Line("changes", report.DiffStat);
        Line("verdict", report.Verdict is null ? null : $"{report.Verdict}: {string.Join("; ", report.Reasons)}");
        Line("merged", report.MergedCommit);
        Line("cost", $"{Money(report.CostUsd)}, {report.Tokens.Total} tokens");
        if (report.Description is { } description)
            Console.WriteLine($"\n{description.TrimEnd()}");
        if (report.Summary is { } summary)
            Console.WriteLine($"\nworker's summary:\n{summary.TrimEnd()}");
        Console.WriteLine("\nhistory:");
        foreach (var e in report.History)
            Console.WriteLine($"  {Local(e.At)}  {e.State,-9} {e.Note}");
        if (report.Runs.Count > 0)
        {
            Console.WriteLine("\nruns:");
            foreach (var r in report.Runs)
                Console.WriteLine($"  {Local(r.Started)}  {r.Role,-8} {r.Outcome,-9} {Money(r.CostUsd)}, {r.Tokens.Total} tokens{(r.Error is { } error ? $"  {error}" : "")}");
        }
        if (report.GateOutput is { } output)
            Console.WriteLine($"\ngate output (the end of it):\n{string.Join('\n', output.Split('\n').TakeLast(30)).TrimEnd()}");
        return 0;
    }

    private static int Pause(WorkStore store, WorkRequest request)
    {
        store.Pause(request.Reason ?? "paused by hand", DateTimeOffset.UtcNow);
        Console.WriteLine("paused: no task starts until 'agents resume' (a running cycle finishes the tasks it started)");
        return 0;
    }

    private static int Resume(WorkStore store)
    {
        var before = store.Control();
        store.Resume();
        Console.WriteLine(before.Paused ? $"resumed (it was paused: {before.PauseReason})" : "not paused; the count of failures in a row starts again from 0");
        return 0;
    }

    private static int History(WorkStore store, WorkConfig work, WorkRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        var cycles = store.Cycles(request.Limit ?? 20).Select(c => Reports.Cycle(c, work, now)).ToArray();
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(cycles, WorkJson.Default.CycleReportArray));
            return 0;
        }
        if (cycles.Length == 0)
        {
            Console.WriteLine("no cycles yet; run 'agents cycle'");
            return 0;
        }
        TextTable.Print(["CYCLE", "STATE", "TRIGGER", "STARTED", "TOOK", "PLANNED", "MERGED", "FAILED", "COST", "MESSAGE"], cycles.Select(c => new[]
        {
            c.Id.ToString(CultureInfo.InvariantCulture),
            c.State + (c.Liveness is { } live && live != "running" ? $" ({live})" : ""),
            c.Trigger,
            Local(c.Started),
            Durations.Humanize((c.Ended ?? now) - c.Started),
            c.Planned.ToString(CultureInfo.InvariantCulture),
            c.Merged.ToString(CultureInfo.InvariantCulture),
            c.Failed.ToString(CultureInfo.InvariantCulture),
            Money(c.CostUsd),
            c.Message ?? "",
        }).ToList());
        return 0;
    }

    private static int Costs(WorkStore store, WorkRequest request)
    {
        var report = Reports.Costs(store.Costs(request.Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), request.Since);
        if (request.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, WorkJson.Default.CostsReport));
            return 0;
        }
        if (report.Days.Count == 0)
        {
            Console.WriteLine("nothing spent yet");
            return 0;
        }
        TextTable.Print(["DAY (UTC)", "ROLE", "MODEL", "RUNS", "USD", "TOKENS"], report.Days.Select(d => new[]
        {
            d.Day, d.Role, d.Model ?? "-", d.Runs.ToString(CultureInfo.InvariantCulture),
            Money(d.CostUsd) + (d.RunsWithoutCost > 0 && d.CostUsd is not null ? $" (+{d.RunsWithoutCost} unpriced)" : ""),
            d.Tokens.Total.ToString(CultureInfo.InvariantCulture),
        }).ToList());
        Console.WriteLine($"total: {Patrol.Usd(report.CostUsd)}, {report.Tokens.Total} tokens");
        return 0;
    }

    private static string Money(double? usd) => usd is { } amount ? Patrol.Usd(amount) : "unknown";

    private static string Local(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
