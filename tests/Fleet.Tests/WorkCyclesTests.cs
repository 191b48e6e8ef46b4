using System.Text;
using System.Text.Json;
using Orchestrator.Fleet;
using Orchestrator.Harness;
using Orchestrator.Work;
using Runbook;
using TestSupport;

namespace Fleet.Tests;

/// <summary>
/// The pure side of the fleet's work cycles: reading the harness's work reports, the work verbs' argument arrays,
/// RunCycle's plan, lines, totals and re-run command, FleetCosts' sums and the progress of long runs.
/// </summary>
public sealed class WorkCyclesTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Work = """
        {"paused": true, "pause_reason": "budget review", "failures_in_a_row": 2,
         "liveness": "running", "heartbeat": "2025-03-03T10:03:59+00:00", "stale_after_seconds": 600, "stopped_after_seconds": 3600,
         "cycle": {"id": 4, "started": "2025-03-03T10:00:00+00:00", "heartbeat": "2025-03-03T10:03:59+00:00", "liveness": "running", "pid": 4711},
         "last_cycle": {"id": 3, "state": "succeeded", "started": "2025-03-03T09:00:00+00:00", "ended": "2025-03-03T09:04:00+00:00", "message": null},
         "tasks": {"queued": 2, "running": 1, "passed": 0, "failed": 1, "merged": 7, "blocked": 1, "conflict": 0, "cancelled": 0},
         "cost_usd_today": 1.25, "cost_usd_total": 9.8, "tokens_today": 182000, "next_cycle": null}
        """;

    private static WorkStatus? StatusWith(string work)
    {
        using var document = JsonDocument.Parse($$"""{"agents": [], "work": {{work}}}""");
        return WorkStatus.Parse(document.RootElement);
    }

    private static WorkStatus Parsed => StatusWith(Work)!;

    [Fact]
    public void The_work_object_of_status_is_read_and_null_or_absent_means_no_work_cycles()
    {
        var work = Parsed;
        Assert.Equal((true, "budget review", 2, "running"), (work.Paused, work.PauseReason, work.FailuresInARow, work.Liveness));
        Assert.Equal(new TaskCounts(2, 1, 0, 1, 7, 1, 0, 0), work.Tasks);
        Assert.Equal((1.25, 9.8, 182000L), (work.CostUsdToday, work.CostUsdTotal, work.TokensToday));
        Assert.Equal((4L, 4711), (work.Cycle!.Id, work.Cycle.Pid));
        Assert.Equal("succeeded", work.LastCycle!.State);

        Assert.Null(StatusWith("null"));
        using var olderEngine = JsonDocument.Parse("""{"agents": [{"name": "main", "state": "running"}]}""");
        Assert.Null(WorkStatus.Parse(olderEngine.RootElement));
        Assert.Throws<JsonException>(() => StatusWith("""{"paused": "yes"}"""));
    }

    [Fact]
    public void A_running_cycles_heartbeat_ages_from_running_to_stale_to_stopped_by_the_projects_thresholds()
    {
        var work = Parsed;
        var heartbeat = DateTimeOffset.Parse("2025-03-03T10:03:59+00:00");
        Assert.Equal("running", work.LivenessAt(heartbeat.AddMinutes(9)));
        Assert.Equal("stale", work.LivenessAt(heartbeat.AddMinutes(10)));
        Assert.Equal("stopped", work.LivenessAt(heartbeat.AddHours(1)));
        Assert.Equal("stopped", (work with { Cycle = work.Cycle! with { Liveness = "stopped" } }).LivenessAt(heartbeat));
        Assert.Equal("stopped", (work with { Cycle = null }).LivenessAt(heartbeat));
    }

    [Fact]
    public void Work_verbs_are_argument_arrays_with_values_that_look_like_options_joined_to_them()
    {
        Assert.Equal(["cycle", "--json", "--no-plan"], WorkVerbs.Cycle(noPlan: true));
        Assert.Equal(["pause", "--reason", "budget; review"], WorkVerbs.Pause("budget; review"));
        Assert.Equal(["pause", "--reason=--later"], WorkVerbs.Pause("--later"));
        Assert.Equal(["task", "add", "Fix it", "--description=-x is wrong", "--depends-on", "t1", "3"],
            WorkVerbs.AddTask(new NewTask("Fix it", "-x is wrong", ["t1", "3"])));
        Assert.Equal(["tasks", "--json", "--state", "failed"], WorkVerbs.Tasks("failed"));
        Assert.Equal(["costs", "--json", "--since", "2025-03-01"], WorkVerbs.Costs(new DateOnly(2025, 3, 1)));
        Assert.Equal("--title '-rf' starts with '-', which the harness would take for an option; reword it",
            Assert.Throws<ArgumentException>(() => WorkVerbs.AddTask(new NewTask("-rf", null, []))).Message);
        Assert.Throws<ArgumentException>(() => WorkVerbs.AddTask(new NewTask("  ", null, [])));
    }

    private FleetProject Project(string name, bool enabled = true, bool cloned = true)
    {
        var folder = _folder[name];
        Directory.CreateDirectory(cloned ? Path.Combine(folder, ".git") : folder);
        return new FleetProject(name, name, AbsolutePath.Create(folder), null, "agents", "../engine.git", "v0.1.0", enabled, [], [], 1, 1);
    }

    private static LiveStatus Live(WorkStatus? work, string? error = null) => new(0, 0, "stopped", [], error, null, work);

    [Fact]
    public void RunCycle_runs_enabled_projects_with_work_cycles_that_are_not_paused_and_says_why_of_the_others()
    {
        var projects = new[]
        {
            Project("ready"), Project("paused"), Project("plain"), Project("broken"), Project("off", enabled: false), Project("away", cloned: false),
        };
        var statuses = new Dictionary<string, LiveStatus>
        {
            ["ready"] = Live(Parsed with { Paused = false }),
            ["paused"] = Live(Parsed),
            ["plain"] = Live(null),
            ["broken"] = Live(null, "status exited 1: agents.toml:3:1: unknown key"),
        };

        Assert.Equal(["ready", "paused", "plain", "broken"], CyclePlan.ToAsk(projects, force: false).Select(p => p.Name));
        var plan = CyclePlan.Make(projects, statuses, force: false);

        Assert.Equal(["ready"], plan.ToRun.Select(p => p.Name));
        Assert.Equal([
            "paused: skipped, paused (budget review); resume it with ./build.sh ResumeProject --project paused",
            "plain: skipped, no work cycles",
            "broken: failed: its harness could not report its status: status exited 1: agents.toml:3:1: unknown key",
            "off: skipped, disabled in fleet.toml; pass --force to run its cycle anyway",
            $"away: failed: no local clone at {_folder["away"]}",
        ], plan.NotRun.Select(CycleReport.Line));
        Assert.Contains("off", CyclePlan.ToAsk(projects, force: true).Select(p => p.Name));
    }

    private static CycleResult Result(string outcome, string[] merged, string[] failed, double? cost, string? message = null) =>
        new(outcome, 3, message, null, null, ["t1", "t2"], [.. merged, .. failed], merged, failed, [], [], cost, new TokenCounts(1000, 200, 0, 0, 1200), []);

    [Fact]
    public void A_cycle_is_one_line_and_failures_end_with_a_rerun_command_that_repeats_the_options()
    {
        var ok = new CycleRun("api", CycleOutcome.Succeeded, CycleSummary.Of(Result("succeeded", ["t1", "t2"], [], 0.42)),
            Result("succeeded", ["t1", "t2"], [], 0.42), TimeSpan.FromSeconds(130));
        var bad = new CycleRun("web", CycleOutcome.Failed, CycleSummary.Of(Result("failed", ["t1"], ["t2"], null, "t2 failed")),
            Result("failed", ["t1"], ["t2"], null, "t2 failed"), TimeSpan.FromSeconds(5));
        var gone = new CycleRun("db", CycleOutcome.Failed, "engine/agents cycle --json exited 1: agents: no git identity", null, TimeSpan.FromSeconds(1));
        var paused = new CycleRun("ops", CycleOutcome.Paused, "paused (x)", null, TimeSpan.Zero);

        Assert.Equal("api: cycle 3 succeeded: planned 2, merged t1 t2; $0.42, 1,200 tokens (2m10s)", CycleReport.Line(ok));
        Assert.Equal("web: cycle 3 failed: planned 2, merged t1, failed t2; cost unknown, 1,200 tokens (5s)", CycleReport.Line(bad));
        Assert.Equal("db: failed: engine/agents cycle --json exited 1: agents: no git identity (1s)", CycleReport.Line(gone));

        IReadOnlyList<CycleRun> runs = [ok, bad, gone, paused];
        var totals = CycleReport.Totals(runs);
        Assert.Equal((4, 1, 2, 1, 0.42, 2400L), (totals.Projects, totals.Succeeded, totals.Failed, totals.Skipped, totals.CostUsd, totals.Tokens.Total));
        Assert.Equal("4 projects: 1 succeeded, 2 failed, 1 skipped; $0.42, 2,400 tokens", CycleReport.Summary(totals));
        Assert.Equal("2 of 4 cycles failed; fix what is said above, then run again: ./build.sh RunCycle --project web db --no-plan --force",
            CycleReport.Failure(runs, noPlan: true, force: true));
        Assert.Null(CycleReport.Failure([ok, paused], noPlan: false, force: false));
        Assert.Equal("failed", CycleReport.Document(runs, false, false).Projects[1].Outcome);
        Assert.Equal("./build.sh RunCycle --project web db", CycleReport.Document(runs, false, false).Rerun);
    }

    [Fact]
    public void Cycles_that_did_not_start_say_why()
    {
        var busy = new CycleResult("busy", 4, "cycle 4 is running (pid 4711, started 10:00); wait for it to end", null, null, [], [], [], [], [], [], null,
            TokenCounts.Zero, []);
        Assert.Equal("busy: cycle 4 is running (pid 4711, started 10:00); wait for it to end", CycleSummary.Of(busy));
        var preflight = busy with { Outcome = "failed", Id = null, Message = "the cycle did not start: 1 problem(s)", Problems = ["git: no identity to commit with"] };
        Assert.Equal("failed: the cycle did not start: 1 problem(s), git: no identity to commit with", CycleSummary.Of(preflight));
    }

    private static WorkReply<ProjectCosts> Costs(string project, params CostLine[] lines) =>
        new(project, WorkOutcome.Done, "", new ProjectCosts(null, lines, lines.Sum(l => l.CostUsd ?? 0), lines.Aggregate(TokenCounts.Zero, (s, l) => s.Add(l.Tokens))));

    private static CostLine Line(string day, string role, double? usd, long tokens, int runs = 1, int unpriced = 0) =>
        new(day, role, "m", runs, unpriced, usd, new TokenCounts(tokens, 0, 0, 0, tokens));

    [Fact]
    public void FleetCosts_sums_each_projects_roles_per_day_and_the_fleets_days()
    {
        var costs = FleetCosts.Sum(new DateOnly(2025, 3, 1), [
            Costs("api", Line("2025-03-02", "worker", 0.5, 100, runs: 2), Line("2025-03-02", "planner", 0.05, 10), Line("2025-03-03", "worker", null, 7, unpriced: 1)),
            Costs("web", Line("2025-03-03", "worker", 0.25, 50)),
            new("py", WorkOutcome.NoWorkCycles, "no work cycles", null),
            new("db", WorkOutcome.Failed, "engine/agents costs --json exited 1: agents: database is locked", null),
        ]);

        Assert.Equal("2025-03-01", costs.Since);
        var api = costs.Projects[0];
        Assert.Equal([("2025-03-02", 3, 0.55, 110L), ("2025-03-03", 1, (double?)null, 7L)], api.Days.Select(d => (d.Day, d.Runs, d.CostUsd, d.Tokens.Total)));
        Assert.Equal((false, (string?)null), (costs.Projects[2].WorkCycles, costs.Projects[2].Error));
        Assert.Equal((true, "engine/agents costs --json exited 1: agents: database is locked"), (costs.Projects[3].WorkCycles, costs.Projects[3].Error));
        Assert.Equal([("2025-03-02", 0.55), ("2025-03-03", 0.25)], costs.Days.Select(d => (d.Day, d.CostUsd!.Value)));
        Assert.Equal((0.8, 167L, 1), (costs.CostUsd, costs.Tokens.Total, costs.RunsWithoutCost));
        Assert.Equal("1 project could not report costs: db (the reasons are above)", FleetCosts.Failure(costs));

        var text = new StringWriter();
        FleetCosts.Write(text, costs, json: false);
        Assert.Equal("""
            PROJECT  DAY         RUNS  USD      TOKENS
            api      2025-03-02  3     $0.55    110
            api      2025-03-03  1     unknown  7
            web      2025-03-03  1     $0.25    50
            (fleet)  2025-03-02  3     $0.55    110
            (fleet)  2025-03-03  2     $0.25    57

            py: no work cycles
            db: engine/agents costs --json exited 1: agents: database is locked
            fleet total since 2025-03-01: $0.80, 167 tokens (1 run without a price) over 3 projects with work cycles

            """.Replace("\r", ""), text.ToString());
    }

    [Fact]
    public void A_since_that_is_not_a_day_is_a_usage_error()
    {
        Assert.Equal(new DateOnly(2025, 3, 1), FleetCosts.ParseSince("2025-03-01"));
        Assert.Null(FleetCosts.ParseSince(null));
        var error = Assert.Throws<TargetFailedException>(() => FleetCosts.ParseSince("2025-13-01"));
        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("--since '2025-13-01' is not a date; write it as YYYY-MM-DD, e.g. ", error.Message);
    }

    [Fact]
    public void The_fleets_work_totals_add_up_the_projects_that_have_work_cycles()
    {
        var totals = WorkTotals.Of([Parsed, Parsed with { Paused = false, Liveness = "stale", CostUsdToday = 0.75 }, Parsed with { Paused = false, Liveness = "stopped" }]);
        Assert.Equal((3, 1, 1, 1, 1), (totals.Projects, totals.Running, totals.Stale, totals.Stopped, totals.Paused));
        Assert.Equal((6, 3, 21, 3), (totals.Tasks.Queued, totals.Tasks.Running, totals.Tasks.Merged, totals.Tasks.Failed));
        Assert.Equal("work: 3 projects with work cycles: 1 running, 1 stale, 1 stopped, 1 paused; tasks 6 queued, 3 running, 21 merged, 3 failed; $3.25 today, $29.40 in total",
            totals.Line);
        Assert.Equal(["api", "running", "yes", "2", "1", "7", "1", "$1.25", "$9.80"], WorkTotals.Row("api", Live(Parsed)));
        Assert.Equal(["py", "no work cycles", "", "", "", "", "", "", ""], WorkTotals.Row("py", Live(null)));
        Assert.Equal("status failed", WorkTotals.Row("db", Live(null, "boom"))[1]);
    }

    [Fact]
    public void Money_reads_as_dollars_and_cents_and_tokens_with_separators()
    {
        Assert.Equal(("$0.42", "$0.0031", "$0.00", "unknown"), (Money.Usd(0.42), Money.Usd(0.0031), Money.Usd(0), Money.Usd(null)));
        Assert.Equal("504,100 tokens", Money.Tokens(504100));
        Assert.Equal(("45s", "2m05s", "1h02m"), (CycleReport.Duration(TimeSpan.FromSeconds(45)), CycleReport.Duration(TimeSpan.FromSeconds(125)),
            CycleReport.Duration(TimeSpan.FromMinutes(62))));
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Progress_names_each_harness_line_and_says_what_still_runs_when_all_are_quiet()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2025-03-03T10:00:00+00:00"));
        var output = new StringWriter();
        using var progress = new CycleProgress(output, total: 3, clock, quietAfter: TimeSpan.FromHours(1));
        progress.Started("api");
        progress.For("api").Write("10:00:00 cycle 1: started\n10:00:01 t1: running\n");
        clock.Now = clock.Now.AddSeconds(30);
        progress.Started("web");
        progress.Tick();
        clock.Now = clock.Now.AddMinutes(59).AddSeconds(30);
        progress.Tick();
        progress.Finished("api");
        clock.Now = clock.Now.AddHours(2);
        progress.Tick();
        progress.Finished("web");
        clock.Now = clock.Now.AddHours(2);
        progress.Tick();

        Assert.Equal("""
            api: 10:00:00 cycle 1: started
            api: 10:00:01 t1: running
            RunCycle: still running: api 1h00m, web 59m30s; 0 of 3 done
            RunCycle: still running: web 2h59m; 1 of 3 done

            """.Replace("\r", ""), output.ToString());
    }
}
