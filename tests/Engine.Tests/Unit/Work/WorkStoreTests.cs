using Engine.Agents.Commands;
using Engine.Agents.Work.Backends;
using Engine.Agents.Work.Model;
using Engine.Agents.Work.Store;
using TestSupport;

namespace Engine.Tests.Unit.Work;

/// <summary>The work database on a real SQLite file in a temporary folder.</summary>
public sealed class WorkStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TemporaryFolder _folder = new();
    private readonly WorkStore _store;

    public WorkStoreTests() => _store = WorkStore.Open(_folder["work.db"]);

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void A_new_database_is_in_wal_mode_at_the_current_schema()
    {
        Assert.Equal("wal", _store.Database.Read(_ => _store.Database.Scalar("PRAGMA journal_mode")));
        Assert.Equal((long)Schema.Version, _store.Database.Read(_ => _store.Database.Scalar("PRAGMA user_version")));
        Assert.Equal(new Control(false, null, null, 0), _store.Control());
    }

    [Fact]
    public void A_database_of_a_newer_engine_is_refused()
    {
        _store.Database.Write(t => _store.Database.Execute($"PRAGMA user_version = {Schema.Version + 1}", t));

        var error = Assert.Throws<CommandFailedException>(() => WorkStore.Open(_folder["work.db"]));
        Assert.Contains("written by a newer engine", error.Message);
    }

    /// <summary>
    /// Status readers never block a cycle, nor a cycle them: with a rollback journal either side would
    /// wait out the 30 s busy timeout and then fail with "database is locked".
    /// </summary>
    [Fact]
    public void A_reader_mid_read_never_blocks_a_write_and_an_open_write_never_blocks_a_reader()
    {
        var task = _store.AddTask("a", null, null, [], null, T0);
        using (var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder["work.db"]};Pooling=False;Default Timeout=30"))
        {
            reader.Open();
            using var read = reader.BeginTransaction(deferred: true);
            using (var select = reader.CreateCommand())
            {
                select.CommandText = "SELECT COUNT(*) FROM tasks";
                select.Transaction = read;
                Assert.Equal(1L, select.ExecuteScalar());
            }

            Assert.True(_store.Apply(task, TaskEvent.Start, TaskUpdate.Nothing, null, T0).Moved);
            _store.Pause("by hand", T0);
        }

        var seen = _store.Database.Write(t =>
        {
            _store.Database.Execute("UPDATE control SET pause_reason = 'changing' WHERE id = 1", t);
            using var status = WorkStore.Open(_folder["work.db"]);
            return (status.Control().PauseReason, status.Counts()[TaskState.Running], status.Task(task)!.State);
        });

        Assert.Equal(("by hand", 1, TaskState.Running), seen);
        Assert.Equal("changing", _store.Control().PauseReason);
    }

    [Fact]
    public void Planned_tasks_are_stored_with_their_dependencies_in_one_go()
    {
        var first = _store.AddTask("existing", null, null, [], null, T0);
        var cycle = _store.BeginCycle("manual", 1, null, "m", T0);
        var plan = new Plan([new PlannedTask("a", "do a", "feature", [], []), new PlannedTask("b", null, null, [0], [first])], []);

        var numbers = _store.AddTasks(plan, cycle, T0);

        var b = _store.Task(numbers[1])!;
        Assert.Equal([first, numbers[0]], b.DependsOn.Order());
        Assert.Equal((TaskState.Queued, cycle), (b.State, b.OriginCycle));
        Assert.Equal("do a", _store.Task(numbers[0])!.Description);
    }

    [Fact]
    public void Moves_follow_the_state_machine_and_count_failures_in_a_row()
    {
        var a = _store.AddTask("a", null, null, [], null, T0);
        var b = _store.AddTask("b", null, null, [], null, T0);

        Assert.True(_store.Apply(a, TaskEvent.Start, new TaskUpdate { CountAttempt = true }, null, T0).Moved);
        var failed = _store.Apply(a, TaskEvent.Fail, new TaskUpdate { Message = "gate" }, "gate", T0);
        _store.Apply(b, TaskEvent.Start, TaskUpdate.Nothing, null, T0);
        var failedAgain = _store.Apply(b, TaskEvent.Fail, TaskUpdate.Nothing, null, T0);
        var refused = _store.Apply(a, TaskEvent.Merge, TaskUpdate.Nothing, null, T0);

        Assert.Equal(new Move(true, TaskState.Failed, 1), failed);
        Assert.Equal(2, failedAgain.FailuresInARow);
        Assert.Equal(new Move(false, TaskState.Failed, 2), refused);
        Assert.Equal((1, "gate"), (_store.Task(a)!.Attempts, _store.Task(a)!.Message));

        _store.Apply(a, TaskEvent.Retry, TaskUpdate.Nothing, null, T0);
        _store.Apply(a, TaskEvent.Start, TaskUpdate.Nothing, null, T0);
        _store.Apply(a, TaskEvent.Pass, TaskUpdate.Nothing, null, T0);
        Assert.Equal(0, _store.Apply(a, TaskEvent.Merge, TaskUpdate.Nothing, null, T0).FailuresInARow);
        Assert.Equal(["queued", "running", "failed", "queued", "running", "passed", "merged"],
            _store.Detail(a)!.Events.Select(e => e.State.Name()));
    }

    [Fact]
    public void Pause_and_resume_and_the_failure_count()
    {
        var a = _store.AddTask("a", null, null, [], null, T0);
        _store.Apply(a, TaskEvent.Start, TaskUpdate.Nothing, null, T0);
        _store.Apply(a, TaskEvent.Fail, TaskUpdate.Nothing, null, T0);
        _store.Pause("by hand", T0);

        Assert.Equal(new Control(true, "by hand", T0, 1), _store.Control());
        _store.Resume();
        Assert.Equal(new Control(false, null, null, 0), _store.Control());
    }

    [Fact]
    public void Costs_sum_per_day_role_and_model_and_unknown_prices_stay_unknown()
    {
        var cycle = _store.BeginCycle("manual", 1, null, "m", T0);
        var task = _store.AddTask("a", null, null, [], null, T0);
        Run(cycle, task, "worker", "sonnet", T0, 0.25, 100);
        Run(cycle, task, "worker", "sonnet", T0.AddHours(1), 0.50, 200);
        Run(cycle, null, "planner", "opus", T0, 1.0, 50);
        Run(cycle, task, "worker", "o4", T0.AddDays(1), null, 70);

        var costs = _store.Costs(null);

        Assert.Equal([("2025-03-03", "planner", "opus", 1.0, 50L, 1), ("2025-03-03", "worker", "sonnet", 0.75, 300L, 2), ("2025-03-04", "worker", "o4", (double?)null, 70L, 1)],
            costs.Select(c => (c.Day, c.Role, c.Model, c.CostUsd, c.Tokens.Total, c.Runs)));
        Assert.Single(_store.Costs("2025-03-04"));
        Assert.Equal(0.75, _store.Spends()[task].CostUsd);
        Assert.Equal(370, _store.Spends()[task].Tokens.Total);
        Assert.Equal((1.75, 1.75), (_store.Totals(T0).Today, _store.Totals(T0).Total));
        Assert.Equal(1.75, _store.Cycle(cycle)!.CostUsd);
    }

    private void Run(long cycle, long? task, string role, string model, DateTimeOffset at, double? usd, long tokens)
    {
        var run = _store.StartRun(cycle, task, role, "command", model, "marker", at);
        _store.EndRun(run, "succeeded", new RoleOutcome(true, null, null, usd, new TokenUsage(tokens, 0, 0, 0), null, null), null, at);
    }
}
