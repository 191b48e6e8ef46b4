using System.Globalization;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Model;
using Microsoft.Data.Sqlite;

namespace Engine.Agents.Work.Store;

/// <summary>Fields a state change may set on a task; null leaves a field as it is.</summary>
internal sealed record TaskUpdate
{
    public string? Message { get; init; }
    public bool ClearMessage { get; init; }
    public long? Cycle { get; init; }
    public bool CountAttempt { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public string? BaseCommit { get; init; }
    public string? HeadCommit { get; init; }
    public string? MergedCommit { get; init; }
    public string? Summary { get; init; }
    public string? DiffStat { get; init; }
    public string? Verdict { get; init; }
    public IReadOnlyList<string>? Reasons { get; init; }
    public string? GateOutput { get; init; }

    public static readonly TaskUpdate Nothing = new();
}

/// <summary>The result of asking a task to move: where it is now, and whether it moved.</summary>
internal sealed record Move(bool Moved, TaskState State, int FailuresInARow);

/// <summary>Every read and write of the work state, in SQL; each write one transaction.</summary>
internal sealed class WorkStore(WorkDatabase database) : IDisposable
{
    private const string TaskColumns =
        "id, title, description, type, state, created, updated, origin_cycle, cycle, attempts, message, base_commit, head_commit, merged_commit, started, finished";

    private const string CycleColumns =
        "c.id, c.trigger, c.state, c.started, c.ended, c.heartbeat, c.pid, c.pid_start, c.marker, c.plan_text, c.planned, c.merged, c.failed, c.message, "
        + "(SELECT SUM(cost_usd) FROM runs r WHERE r.cycle = c.id), "
        + "(SELECT COALESCE(SUM(input_tokens), 0) FROM runs r WHERE r.cycle = c.id), (SELECT COALESCE(SUM(output_tokens), 0) FROM runs r WHERE r.cycle = c.id), "
        + "(SELECT COALESCE(SUM(cache_read_tokens), 0) FROM runs r WHERE r.cycle = c.id), (SELECT COALESCE(SUM(cache_creation_tokens), 0) FROM runs r WHERE r.cycle = c.id)";

    private const string RunColumns =
        "id, cycle, task, role, backend, model, started, ended, heartbeat, pid, pid_start, marker, outcome, error, cost_usd, "
        + "input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, turns, session_id";

    public WorkDatabase Database { get; } = database;

    public static WorkStore Open(string path) => new(WorkDatabase.Open(path));

    // ---- control: the pause and the failure count

    public Control Control() => Database.Read(_ =>
    {
        using var reader = Database.Command("SELECT paused, pause_reason, paused_at, failures_in_a_row FROM control WHERE id = 1").ExecuteReader();
        reader.Read();
        return new Control(reader.GetInt64(0) != 0, Text(reader, 1), Time(reader, 2), reader.GetInt32(3));
    });

    public void Pause(string reason, DateTimeOffset now) => Database.Write(t =>
        Database.Execute("UPDATE control SET paused = 1, pause_reason = $reason, paused_at = $now WHERE id = 1", t, ("$reason", reason), ("$now", Stamp(now))));

    /// <summary>Clears the pause and the failure count: it takes a whole new run of failures to pause again.</summary>
    public void Resume() => Database.Write(t =>
        Database.Execute("UPDATE control SET paused = 0, pause_reason = NULL, paused_at = NULL, failures_in_a_row = 0 WHERE id = 1", t));

    // ---- cycles

    public long BeginCycle(string trigger, int pid, long? pidStart, string marker, DateTimeOffset now) => Database.Write(t =>
        (long)Database.Scalar(
            "INSERT INTO cycles (trigger, state, started, heartbeat, pid, pid_start, marker) VALUES ($trigger, 'running', $now, $now, $pid, $start, $marker) RETURNING id",
            t, ("$trigger", trigger), ("$now", Stamp(now)), ("$pid", pid), ("$start", pidStart), ("$marker", marker))!);

    public void RecordPlan(long cycle, string planText, int planned) => Database.Write(t =>
        Database.Execute("UPDATE cycles SET plan_text = $text, planned = $planned WHERE id = $id", t, ("$text", planText), ("$planned", planned), ("$id", cycle)));

    public void EndCycle(long cycle, CycleState state, int merged, int failed, string? message, DateTimeOffset now) => Database.Write(t =>
        Database.Execute("UPDATE cycles SET state = $state, ended = $now, heartbeat = $now, merged = $merged, failed = $failed, message = $message WHERE id = $id",
            t, ("$state", state.Name()), ("$now", Stamp(now)), ("$merged", merged), ("$failed", failed), ("$message", message), ("$id", cycle)));

    /// <summary>The heartbeats of a cycle and its runs, written together at most every second or so.</summary>
    public void Heartbeat(long cycle, DateTimeOffset cycleBeat, IReadOnlyCollection<(long Run, DateTimeOffset At)> runs) => Database.Write(t =>
    {
        Database.Execute("UPDATE cycles SET heartbeat = $at WHERE id = $id AND heartbeat < $at", t, ("$at", Stamp(cycleBeat)), ("$id", cycle));
        foreach (var (run, at) in runs)
            Database.Execute("UPDATE runs SET heartbeat = $at WHERE id = $id", t, ("$at", Stamp(at)), ("$id", run));
        return 0;
    });

    public IReadOnlyList<CycleRecord> Cycles(int limit) =>
        ReadCycles($"SELECT {CycleColumns} FROM cycles c ORDER BY c.id DESC LIMIT $limit", ("$limit", limit));

    public IReadOnlyList<CycleRecord> UnfinishedCycles() =>
        ReadCycles($"SELECT {CycleColumns} FROM cycles c WHERE c.state = 'running' ORDER BY c.id");

    public CycleRecord? Cycle(long id) => ReadCycles($"SELECT {CycleColumns} FROM cycles c WHERE c.id = $id", ("$id", id)).FirstOrDefault();

    public CycleRecord? LastEndedCycle() =>
        ReadCycles($"SELECT {CycleColumns} FROM cycles c WHERE c.state <> 'running' ORDER BY c.id DESC LIMIT 1").FirstOrDefault();

    public DateTimeOffset? LastCycleStart() => Database.Read(_ =>
        Database.Scalar("SELECT MAX(started) FROM cycles") is string at ? Parse(at) : (DateTimeOffset?)null);

    private IReadOnlyList<CycleRecord> ReadCycles(string sql, params (string, object?)[] parameters) => Database.Read(_ =>
    {
        using var reader = Database.Command(sql, null, parameters).ExecuteReader();
        var cycles = new List<CycleRecord>();
        while (reader.Read())
            cycles.Add(new CycleRecord(reader.GetInt64(0), reader.GetString(1), CycleStates.Parse(reader.GetString(2)), Parse(reader.GetString(3)),
                Time(reader, 4), Parse(reader.GetString(5)), reader.GetInt32(6), Long(reader, 7), reader.GetString(8), Text(reader, 9),
                reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12), Text(reader, 13), Real(reader, 14), Tokens(reader, 15)));
        return cycles;
    });

    // ---- tasks

    public IReadOnlyList<WorkTask> Tasks(TaskState? state = null) => Database.Read(_ =>
    {
        var dependencies = Dependencies(null);
        using var reader = (state is { } s
            ? Database.Command($"SELECT {TaskColumns} FROM tasks WHERE state = $state ORDER BY id", null, ("$state", s.Name()))
            : Database.Command($"SELECT {TaskColumns} FROM tasks ORDER BY id")).ExecuteReader();
        var tasks = new List<WorkTask>();
        while (reader.Read())
            tasks.Add(ReadTask(reader, dependencies));
        return tasks;
    });

    public WorkTask? Task(long number) => Database.Read(_ =>
    {
        using var reader = Database.Command($"SELECT {TaskColumns} FROM tasks WHERE id = $id", null, ("$id", number)).ExecuteReader();
        return reader.Read() ? ReadTask(reader, Dependencies(number)) : null;
    });

    public TaskDetail? Detail(long number) => Database.Read(_ =>
    {
        if (Task(number) is not { } task)
            return null;
        using var reader = Database.Command("SELECT summary, diff_stat, verdict, reasons, gate_output FROM tasks WHERE id = $id", null, ("$id", number)).ExecuteReader();
        reader.Read();
        var reasons = Text(reader, 3)?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var events = new List<TaskEventRecord>();
        using (var e = Database.Command("SELECT at, state, note FROM task_events WHERE task = $id ORDER BY id", null, ("$id", number)).ExecuteReader())
            while (e.Read())
                events.Add(new TaskEventRecord(Parse(e.GetString(0)), TaskStates.Parse(e.GetString(1))!.Value, Text(e, 2)));
        return new TaskDetail(task, Spends(number).GetValueOrDefault(number, Spend.None), Text(reader, 0), Text(reader, 1),
            Text(reader, 2), reasons, Text(reader, 4), events, Runs(number));
    });

    /// <summary>Adds a task queued; its dependencies must exist (a new task cannot close a cycle).</summary>
    public long AddTask(string title, string? description, string? type, IReadOnlyList<long> dependsOn, long? originCycle, DateTimeOffset now) =>
        Database.Write(t => Insert(t, new PlannedTask(title, description, type, [], dependsOn), [], originCycle, now));

    /// <summary>Adds a planner's tasks in one transaction; returns their numbers in the plan's order.</summary>
    public IReadOnlyList<long> AddTasks(Plan plan, long originCycle, DateTimeOffset now) => Database.Write(t =>
    {
        var numbers = new List<long>();
        foreach (var task in plan.New)
            numbers.Add(Insert(t, task, numbers, originCycle, now));
        return numbers;
    });

    private long Insert(SqliteTransaction t, PlannedTask task, IReadOnlyList<long> earlier, long? originCycle, DateTimeOffset now)
    {
        var number = (long)Database.Scalar(
            "INSERT INTO tasks (title, description, type, state, created, updated, origin_cycle) VALUES ($title, $description, $type, 'queued', $now, $now, $cycle) RETURNING id",
            t, ("$title", task.Title), ("$description", task.Description), ("$type", task.Type), ("$now", Stamp(now)), ("$cycle", originCycle))!;
        foreach (var dependency in task.AfterIndexes.Select(i => earlier[i]).Concat(task.AfterTasks).Distinct())
            Database.Execute("INSERT INTO task_deps (task, depends_on) VALUES ($task, $dependency)", t, ("$task", number), ("$dependency", dependency));
        Event(t, number, TaskState.Queued, originCycle is { } c ? $"planned by cycle {c}" : "added", now);
        return number;
    }

    /// <summary>
    /// Moves a task by the state machine, with the fields of <paramref name="update"/>, in one
    /// transaction that reads its state first: a move the machine does not allow (say, a cancelled
    /// task's worker reporting) changes nothing. A failure counts towards the pause; a merge resets it.
    /// </summary>
    public Move Apply(long number, TaskEvent happening, TaskUpdate update, string? note, DateTimeOffset now) => Database.Write(t =>
    {
        var current = TaskStates.Parse((string)Database.Scalar("SELECT state FROM tasks WHERE id = $id", t, ("$id", number))!)!.Value;
        var failures = Convert.ToInt32(Database.Scalar("SELECT failures_in_a_row FROM control WHERE id = 1", t), CultureInfo.InvariantCulture);
        if (TaskTransitions.Next(current, happening) is not { } next)
            return new Move(false, current, failures);

        var sets = new List<string> { "state = $state", "updated = $now" };
        var parameters = new List<(string, object?)> { ("$state", next.Name()), ("$now", Stamp(now)), ("$id", number) };
        void Set(string column, object? value)
        {
            if (value is null)
                return;
            sets.Add($"{column} = ${column}");
            parameters.Add(("$" + column, value));
        }
        Set("message", update.Message);
        if (update.ClearMessage)
            sets.Add("message = NULL");
        Set("cycle", update.Cycle);
        if (update.CountAttempt)
            sets.Add("attempts = attempts + 1");
        Set("started", update.Started is { } s ? Stamp(s) : null);
        Set("finished", update.Finished is { } f ? Stamp(f) : null);
        Set("base_commit", update.BaseCommit);
        Set("head_commit", update.HeadCommit);
        Set("merged_commit", update.MergedCommit);
        Set("summary", update.Summary);
        Set("diff_stat", update.DiffStat);
        Set("verdict", update.Verdict);
        Set("reasons", update.Reasons is { } r ? string.Join('\n', r.Select(x => x.Replace('\n', ' '))) : null);
        Set("gate_output", update.GateOutput);
        Database.Execute($"UPDATE tasks SET {string.Join(", ", sets)} WHERE id = $id", t, [.. parameters]);
        Event(t, number, next, note, now);

        if (next.IsFailure())
            failures++;
        else if (next == TaskState.Merged)
            failures = 0;
        Database.Execute("UPDATE control SET failures_in_a_row = $n WHERE id = 1", t, ("$n", failures));
        return new Move(true, next, failures);
    });

    /// <summary>
    /// Notes why a task waits without moving it (a passed task that cannot merge yet), and, once its
    /// branch was put on top of main, the commit it is at and the main commit it sits on.
    /// </summary>
    public void Note(long number, string? message, DateTimeOffset now, string? headCommit = null, string? baseCommit = null) => Database.Write(t =>
        Database.Execute("UPDATE tasks SET message = $message, head_commit = COALESCE($head, head_commit), base_commit = COALESCE($base, base_commit), "
            + "updated = $now WHERE id = $id", t,
            ("$message", message), ("$head", headCommit), ("$base", baseCommit), ("$now", Stamp(now)), ("$id", number)));

    private void Event(SqliteTransaction t, long task, TaskState state, string? note, DateTimeOffset now) =>
        Database.Execute("INSERT INTO task_events (task, at, state, note) VALUES ($task, $at, $state, $note)", t,
            ("$task", task), ("$at", Stamp(now)), ("$state", state.Name()), ("$note", note));

    private Dictionary<long, List<long>> Dependencies(long? task)
    {
        using var reader = (task is { } n
            ? Database.Command("SELECT task, depends_on FROM task_deps WHERE task = $id ORDER BY depends_on", null, ("$id", n))
            : Database.Command("SELECT task, depends_on FROM task_deps ORDER BY task, depends_on")).ExecuteReader();
        var dependencies = new Dictionary<long, List<long>>();
        while (reader.Read())
        {
            if (!dependencies.TryGetValue(reader.GetInt64(0), out var list))
                dependencies[reader.GetInt64(0)] = list = [];
            list.Add(reader.GetInt64(1));
        }
        return dependencies;
    }

    private static WorkTask ReadTask(SqliteDataReader r, Dictionary<long, List<long>> dependencies) =>
        new(r.GetInt64(0), r.GetString(1), Text(r, 2), Text(r, 3), TaskStates.Parse(r.GetString(4))!.Value,
            dependencies.TryGetValue(r.GetInt64(0), out var d) ? d : [], Parse(r.GetString(5)), Parse(r.GetString(6)),
            Long(r, 7), Long(r, 8), r.GetInt32(9), Text(r, 10), Text(r, 11), Text(r, 12), Text(r, 13), Time(r, 14), Time(r, 15));

    // ---- runs: one per role process, with its cost

    public long StartRun(long cycle, long? task, string role, string backend, string? model, string marker, DateTimeOffset now) => Database.Write(t =>
        (long)Database.Scalar(
            "INSERT INTO runs (cycle, task, role, backend, model, day, started, heartbeat, marker, outcome) VALUES ($cycle, $task, $role, $backend, $model, $day, $now, $now, $marker, 'running') RETURNING id",
            t, ("$cycle", cycle), ("$task", task), ("$role", role), ("$backend", backend), ("$model", model), ("$day", Day(now)), ("$now", Stamp(now)), ("$marker", marker))!);

    public void RunProcess(long run, int pid, long? pidStart) => Database.Write(t =>
        Database.Execute("UPDATE runs SET pid = $pid, pid_start = $start WHERE id = $id", t, ("$pid", pid), ("$start", pidStart), ("$id", run)));

    public void EndRun(long run, string outcome, RoleOutcome? result, string? error, DateTimeOffset now) => Database.Write(t =>
        Database.Execute(
            "UPDATE runs SET ended = $now, outcome = $outcome, error = $error, cost_usd = $cost, input_tokens = $in, output_tokens = $out, "
            + "cache_read_tokens = $read, cache_creation_tokens = $create, turns = $turns, session_id = $session WHERE id = $id",
            t, ("$now", Stamp(now)), ("$outcome", outcome), ("$error", error ?? result?.Error), ("$cost", result?.CostUsd),
            ("$in", result?.Tokens.Input ?? 0), ("$out", result?.Tokens.Output ?? 0), ("$read", result?.Tokens.CacheRead ?? 0),
            ("$create", result?.Tokens.CacheCreation ?? 0), ("$turns", result?.Turns), ("$session", result?.SessionId), ("$id", run)));

    /// <summary>Runs still recorded as running: after a crash, none of them has anyone waiting for it.</summary>
    public IReadOnlyList<RunRecord> UnfinishedRuns() => ReadRuns($"SELECT {RunColumns} FROM runs WHERE outcome = 'running' ORDER BY id");

    public IReadOnlyList<RunRecord> Runs(long task) => ReadRuns($"SELECT {RunColumns} FROM runs WHERE task = $task ORDER BY id", ("$task", task));

    public IReadOnlyList<RunRecord> RunsOfCycle(long cycle) => ReadRuns($"SELECT {RunColumns} FROM runs WHERE cycle = $cycle ORDER BY id", ("$cycle", cycle));

    private IReadOnlyList<RunRecord> ReadRuns(string sql, params (string, object?)[] parameters) => Database.Read(_ =>
    {
        using var r = Database.Command(sql, null, parameters).ExecuteReader();
        var runs = new List<RunRecord>();
        while (r.Read())
            runs.Add(new RunRecord(r.GetInt64(0), r.GetInt64(1), Long(r, 2), r.GetString(3), r.GetString(4), Text(r, 5), Parse(r.GetString(6)),
                Time(r, 7), Time(r, 8), r.IsDBNull(9) ? null : r.GetInt32(9), Long(r, 10), r.GetString(11), r.GetString(12), Text(r, 13), Real(r, 14),
                Tokens(r, 15), r.IsDBNull(19) ? null : r.GetInt32(19), Text(r, 20)));
        return runs;
    });

    // ---- spend

    /// <summary>What each task's runs cost; a task with no priced run has USD null.</summary>
    public Dictionary<long, Spend> Spends(long? task = null) => Database.Read(_ =>
    {
        const string sums = "SELECT task, SUM(cost_usd), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_creation_tokens) FROM runs";
        using var r = (task is { } n
            ? Database.Command(sums + " WHERE task = $task GROUP BY task", null, ("$task", n))
            : Database.Command(sums + " WHERE task IS NOT NULL GROUP BY task")).ExecuteReader();
        var spends = new Dictionary<long, Spend>();
        while (r.Read())
            spends[r.GetInt64(0)] = new Spend(Real(r, 1), Tokens(r, 2));
        return spends;
    });

    /// <summary>USD spent by every run on a day (UTC), and since the start.</summary>
    public (double Today, double Total, TokenUsage TokensToday) Totals(DateTimeOffset now) => Database.Read(_ =>
    {
        using var r = Database.Command(
            "SELECT COALESCE(SUM(CASE WHEN day = $day THEN cost_usd END), 0), COALESCE(SUM(cost_usd), 0), "
            + "COALESCE(SUM(CASE WHEN day = $day THEN input_tokens END), 0), COALESCE(SUM(CASE WHEN day = $day THEN output_tokens END), 0), "
            + "COALESCE(SUM(CASE WHEN day = $day THEN cache_read_tokens END), 0), COALESCE(SUM(CASE WHEN day = $day THEN cache_creation_tokens END), 0) FROM runs",
            null, ("$day", Day(now))).ExecuteReader();
        r.Read();
        return (r.GetDouble(0), r.GetDouble(1), Tokens(r, 2));
    });

    public IReadOnlyList<CostRow> Costs(string? sinceDay) => Database.Read(_ =>
    {
        using var r = Database.Command(
            "SELECT day, role, model, SUM(cost_usd), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_creation_tokens), "
            + "COUNT(*), SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) FROM runs WHERE day >= $since GROUP BY day, role, model ORDER BY day, role, model",
            null, ("$since", sinceDay ?? "")).ExecuteReader();
        var rows = new List<CostRow>();
        while (r.Read())
            rows.Add(new CostRow(r.GetString(0), r.GetString(1), Text(r, 2), Real(r, 3), Tokens(r, 4), r.GetInt32(8), r.GetInt32(9)));
        return rows;
    });

    public Dictionary<TaskState, int> Counts() => Database.Read(_ =>
    {
        var counts = TaskStates.All.ToDictionary(s => s, _ => 0);
        using var r = Database.Command("SELECT state, COUNT(*) FROM tasks GROUP BY state").ExecuteReader();
        while (r.Read())
            counts[TaskStates.Parse(r.GetString(0))!.Value] = r.GetInt32(1);
        return counts;
    });

    // ---- values

    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string stamp) => DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : Parse(r.GetString(i));

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static double? Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static TokenUsage Tokens(SqliteDataReader r, int first) =>
        new(r.GetInt64(first), r.GetInt64(first + 1), r.GetInt64(first + 2), r.GetInt64(first + 3));

    public void Dispose() => Database.Dispose();
}
